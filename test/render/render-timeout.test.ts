// A render that does not finish is stopped at its limit, says which entry point and how big it is, and the
// rest of the run goes on; the limit is settable from the command line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, runCli } from '../helpers/cli.ts';
import { renderTimeoutMs } from '../../tools/lib/render/render.ts';

describe('render time limit', () => {
  it('grows with what the render reads, or is set outright', () => {
    expect(renderTimeoutMs(0)).toBe(90_000);
    expect(renderTimeoutMs(2 * 2 ** 20)).toBe(150_000);
    expect(renderTimeoutMs(10 * 2 ** 20, 5)).toBe(5_000);
  });

  it('a render past --render-timeout is one located render/failed finding naming the entry point and its size', () => {
    const repo = copyFixture('engine-repo');
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-kustomize-'));
    const slow = path.join(bin, 'kustomize');
    // answers `version` at once (so it is accepted as kustomize), then never finishes a build
    fs.writeFileSync(slow, '#!/bin/sh\nif [ "$1" = version ]; then echo v5.5.0; exit 0; fi\nexec sleep 30\n', { mode: 0o755 });
    const run = runCli(['--cluster', 'flux-dev', '--render-timeout', '1', '--format', 'json', '--allow-empty'], repo, { KUSTOMIZE: slow });
    const report = JSON.parse(run.stdout);
    const failed = report.findings.filter((f: any) => f.rule === 'render/failed');
    expect(failed.length).toBe(1);
    expect(failed[0].message).toMatch(/^clusters\/flux-dev: \S+kustomize build did not finish rendering clusters\/flux-dev \(\d+ files?, \d+ KiB\) in 1 s and was stopped; raise the limit with --render-timeout SECONDS/);
    expect(run.code).toBe(1);
  }, 60_000);

  it('--render-timeout takes whole seconds', () => {
    const run = runCli(['--render-timeout', 'soon'], os.tmpdir());
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('policy-check: --render-timeout needs a whole number of seconds (1 or more), got "soon" (see --help)');
  });
});
