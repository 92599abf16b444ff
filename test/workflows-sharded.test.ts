// .github/workflows/policy-sharded.yml: a matrix of --shard jobs, each uploading its json report, and a merge job
// that joins them into annotations, json and SARIF. test/workflows.test.ts runs actionlint and the safety checks
// (pinned SHAs, permissions, no interpolation into scripts, no persisted token) over this file with the others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix: { shard: number[] } };
  steps: Step[];
}

const FILE = join(import.meta.dirname, '..', '.github', 'workflows', 'policy-sharded.yml');
const workflow = parse(readFileSync(FILE, 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const shard = workflow.jobs.shard;
const merge = workflow.jobs.merge;

describe('policy-sharded.yml', () => {
  it('runs on the default branch and by hand, never on pull_request_target', () => {
    expect(Object.keys(workflow.on)).toEqual(['push', 'workflow_dispatch']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(Object.keys(workflow.jobs)).toEqual(['shard', 'merge']);
  });

  it('shards over a matrix whose size is N, every shard running to the end', () => {
    expect(shard.strategy?.matrix.shard).toEqual([1, 2]);
    expect(shard.strategy?.['fail-fast']).toBe(false);
    const check = shard.steps.find((s) => s.run?.includes('tools/check.ts'))!;
    expect(check.env?.SHARD).toBe('${{ matrix.shard }}/${{ strategy.job-total }}');
    expect(check.run).toContain('npx tsx tools/check.ts --shard "$SHARD" --format json --output policy-report/shard.json');
    // only exit 2 (the check could not run) fails a shard job: blocking findings are the merged verdict's
    expect(check.run).toContain('if [ "$code" -ge 2 ]; then exit "$code"; fi');
    expect(shard.permissions).toEqual({ contents: 'read' });
  });

  it('uploads one artifact per shard, named by its matrix value', () => {
    const upload = shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: 'policy-report-shard-${{ matrix.shard }}', path: 'policy-report/shard.json', 'if-no-files-found': 'error' });
    // exit 2 wrote no report: uploading nothing would only add a second error
    expect(upload.if).toBe("${{ !cancelled() && (steps.check.outputs.exit-code == '0' || steps.check.outputs.exit-code == '1') }}");
  });

  it('merges after every shard, even a failed one, from the downloaded artifacts', () => {
    expect(merge.needs).toBe('shard');
    expect(merge.if).toBe('${{ !cancelled() }}');
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toEqual({ pattern: 'policy-report-shard-*', path: '${{ runner.temp }}/shards' });
    const run = merge.steps.find((s) => s.run?.includes('tools/check.ts'))!;
    // download-artifact puts each artifact of a pattern in a folder named after it
    expect(run.run).toMatch(/npx tsx tools\/check\.ts merge "\$RUNNER_TEMP"\/shards\/\*\/shard\.json --format github \\\n\s+--report json=policy-report\.json --report sarif=policy-check\.sarif/);
    expect(merge.steps.filter((s) => s.run?.includes('tools/check.ts'))).toHaveLength(1);
  });

  it('publishes the merged SARIF and report, then gives the merged verdict', () => {
    const sarif = merge.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(sarif.with).toEqual({ sarif_file: 'policy-check.sarif', category: 'policy-check' });
    expect(sarif.if).toBe("${{ !cancelled() && (steps.merge.outputs.exit-code == '0' || steps.merge.outputs.exit-code == '1') }}");
    const upload = merge.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with).toMatchObject({ name: 'policy-report', path: 'policy-report.json' });
    const verdict = merge.steps.at(-1)!;
    expect(verdict).toMatchObject({ env: { EXIT_CODE: '${{ steps.merge.outputs.exit-code }}' }, run: 'exit "$EXIT_CODE"' });
    // the one write permission: code scanning, in the job that runs default-branch code only
    expect(merge.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
  });
});
