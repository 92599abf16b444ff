// Entry points past the cluster folder render first without kustomize's origin annotations (about half of its CPU
// time), and again with them only where a finding must be located: the findings and their lines are the same either
// way, and a clean entry point is rendered once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import { forgetKustomize } from '../../tools/lib/render/kustomize.ts';
import { loadRules } from '../../tools/lib/render/load-rules.ts';
import { copyFixture } from '../helpers/cli.ts';

let log: string;
let previous: string | undefined;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bare-renders-'));
  log = path.join(dir, 'renders.log');
  const wrapper = path.join(dir, 'kustomize');
  // logs, for each build, whether the wrapper kustomization asks for origin annotations and what it renders
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh
if [ "$1" = version ]; then echo v5; exit 0; fi
shift
dir=""; for a in "$@"; do case "$a" in -*|LoadRestrictions*) ;; *) [ -z "$dir" ] && dir="$a";; esac; done
if grep -q buildMetadata "$dir/kustomization.yaml"; then kind=annotated; else kind=bare; fi
echo "$kind $(grep -A1 '^resources:' "$dir/kustomization.yaml" | tail -1 | sed 's#.*/##')" >> ${log}
exec kubectl kustomize "$@"
`,
    { mode: 0o755 },
  );
  previous = process.env.KUSTOMIZE;
  process.env.KUSTOMIZE = wrapper;
  forgetKustomize();
});

afterEach(() => {
  if (previous === undefined) delete process.env.KUSTOMIZE;
  else process.env.KUSTOMIZE = previous;
  forgetKustomize();
});

const renders = () => fs.readFileSync(log, 'utf8').trim().split('\n').sort();

describe('bare renders', () => {
  it('a clean run renders each entry point once; only the cluster folder with annotations', async () => {
    const root = copyFixture('engine-repo');
    const rules = (await loadRules()).filter((r) => r.id === 'rbac/no-wildcards');
    const { report } = await runCheck({ root, clusters: ['flux-dev'], rules });
    expect(report.findings).toEqual([]);
    expect(renders()).toEqual(['annotated sync.yaml', 'bare api', 'bare dev']);
  }, 60_000);

  it('findings on objects of bare renders: those entry points render again with annotations, and every finding is located', async () => {
    const root = copyFixture('engine-repo');
    const { report } = await runCheck({ root, clusters: ['flux-dev'] });
    const places = [...new Set(report.findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`))].sort();
    expect(places).toContain('security/namespace-pss-label apps/api/deployment.yaml:3');
    expect(places).toContain('network/default-deny apps/api/deployment.yaml:4');
    expect(report.findings.every((f) => f.location?.file && f.location.line > 0)).toBe(true);
    expect(renders()).toEqual(['annotated api', 'annotated dev', 'annotated sync.yaml', 'bare api', 'bare dev']);
  }, 60_000);
});
