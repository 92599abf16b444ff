// The rendered diff end to end: a four-cluster repository in git, a change on a branch, the CLI with --base.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { commitEdit, createFleetRepo, git } from '../helpers/fleet-repo.ts';
import { compileReportValidator } from '../../tools/lib/report/report-schema.ts';

const RULE = ['--rule', 'images/pinned-tag'];

describe('rendered diff with --base', () => {
  it('a one-line change to overlays/staging shows staging’s diff and "output unchanged" for the other three', () => {
    const dir = createFleetRepo();
    commitEdit(dir, 'overlays/staging/kustomization.yaml', 'count: 4', 'count: 5', 'staging: five replicas');
    const base = git(dir, 'rev-parse', '--short=7', 'main').trim();

    const text = runCli([...RULE, '--base', 'main', '--diff'], dir);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`rendered diff of k3s against main (${base}): output unchanged

rendered diff of kind against main (${base}): output unchanged

rendered diff of production against main (${base}): output unchanged

rendered diff of staging against main (${base}): output changed (1 object: 1 changed)
--- base: Deployment staging/web
+++ head: Deployment staging/web
@@ -6,7 +6,7 @@
   labels:
     app: web
 spec:
-  replicas: 4
+  replicas: 5
   selector:
     matchLabels:
       app: web

cluster k3s (flux; 2 entry points, 4 objects)
  output unchanged
  no findings

cluster kind (flux; 2 entry points, 4 objects)
  output unchanged
  no findings

cluster production (flux; 2 entry points, 4 objects)
  output unchanged
  no findings

cluster staging (flux; 2 entry points, 4 objects)
  output changed (1 object: 1 changed)
  no findings

✔ 0 errors, 0 warnings, 0 new, 0 fixed in 4 clusters
`);

    const markdownFile = path.join(dir, 'comment.md');
    const jsonFile = path.join(dir, 'report.json');
    const textFile = path.join(dir, 'diff.txt');
    const markdown = runCli([...RULE, '--base', 'main', '--diff', '--format', 'markdown', '--output', markdownFile, '--report', `json=${jsonFile}`, '--report', `text=${textFile}`], dir);
    expect(markdown.code).toBe(0);
    // --report text=FILE from the same run carries the diff too (for a job summary)
    expect(fs.readFileSync(textFile, 'utf8')).toBe(text.stdout);
    const body = fs.readFileSync(markdownFile, 'utf8');
    expect(body.slice(body.indexOf('#### Rendered output'), body.indexOf('\n---\n<sub>'))).toBe(`#### Rendered output

- **k3s**: output unchanged
- **kind**: output unchanged
- **production**: output unchanged
- :pencil2: **staging**: output changed (1 object)

<details><summary>Rendered diff of staging: 1 changed (+1 −1 lines)</summary>

\`\`\`diff
--- base: Deployment staging/web
+++ head: Deployment staging/web
@@ -6,7 +6,7 @@
   labels:
     app: web
 spec:
-  replicas: 4
+  replicas: 5
   selector:
     matchLabels:
       app: web
\`\`\`

</details>
`);
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    expect(compileReportValidator()(report).ok).toBe(true);
    expect(report.clusters.map((c: any) => [c.name, c.diff.status, c.diff.objects.length])).toEqual([
      ['k3s', 'unchanged', 0],
      ['kind', 'unchanged', 0],
      ['production', 'unchanged', 0],
      ['staging', 'changed', 1],
    ]);
  });

  it('does not compare a cluster that fails to render at the head: no diff, no lost flows, no "fixed" findings, and says why', () => {
    const dir = createFleetRepo();
    // a finding on kind's base, so a broken head would otherwise report it "fixed"
    commitEdit(dir, 'overlays/kind/kustomization.yaml', 'count: 2', 'count: 2\nimages:\n  - name: nginx\n    newTag: latest', 'kind: latest');
    git(dir, 'branch', '-f', 'main', 'HEAD');
    commitEdit(dir, 'overlays/kind/kustomization.yaml', '  - ../../apps/web', '  - ../../apps/web\n  - missing.yaml', 'kind: broken');
    commitEdit(dir, 'overlays/staging/kustomization.yaml', 'count: 4', 'count: 5', 'staging: five replicas');

    const jsonFile = path.join(dir, 'report.json');
    const markdownFile = path.join(dir, 'comment.md');
    const text = runCli([...RULE, '--base', 'main', '--report', `json=${jsonFile}`, '--report', `markdown=${markdownFile}`], dir);
    expect(text.code).toBe(1); // render/failed is new and blocking
    const kindBlock = text.stdout.slice(text.stdout.indexOf('cluster kind'), text.stdout.indexOf('cluster production'));
    expect(kindBlock).toMatch(/^cluster kind \(flux; 2 entry points, 2 objects\)\n  output not compared: it does not render at the head of this change \(Kustomization flux-system\/apps: kubectl kustomize failed: .*missing\.yaml.*\)\n/);
    expect(text.stdout).toContain('cluster staging (flux; 2 entry points, 4 objects)\n  output changed (1 object: 1 changed)\n');
    expect(text.stdout).toContain('cluster k3s (flux; 2 entry points, 4 objects)\n  output unchanged\n');

    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    expect(compileReportValidator()(report).ok).toBe(true);
    const kind = report.clusters.find((c: any) => c.name === 'kind');
    expect(kind.diff).toMatchObject({ status: 'not-compared', notRendered: 'head', objects: [] });
    expect(kind.baseConnectivity).toBeUndefined();
    expect(report.fixed).toEqual([]);
    expect(report.findings.map((f: any) => [f.cluster, f.rule, f.status])).toEqual([['kind', 'render/failed', 'new']]);
    const staging = report.clusters.find((c: any) => c.name === 'staging');
    expect(staging.baseConnectivity.length).toBeGreaterThan(0);

    const body = fs.readFileSync(markdownFile, 'utf8');
    expect(body).toMatch(/\n- :warning: \*\*kind\*\*: not compared, it does not render at the head of this change \\\(Kustomization flux\\-system\/apps\\: kubectl kustomize failed\\: .*missing\\\.yaml.*\n/);
    expect(body).not.toContain('no longer allowed');
    expect(body).toContain('- :pencil2: **staging**: output changed (1 object)\n');
    expect(body).not.toContain('Rendered diff of kind');
    expect(body).not.toContain('Fixed by this pull request');
  });

  it('says every cluster was not compared when the base revision cannot be checked at all (its config is broken)', () => {
    const dir = createFleetRepo();
    fs.mkdirSync(path.join(dir, 'policies'));
    fs.writeFileSync(path.join(dir, 'policies/config.yaml'), 'defaults:\n  podSecurityMinimun: restricted\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'a config with a typo');
    git(dir, 'branch', '-f', 'main', 'HEAD');
    commitEdit(dir, 'policies/config.yaml', 'podSecurityMinimun', 'podSecurityMinimum', 'fix the typo');
    const run = runCli([...RULE, '--base', 'main', '--cluster', 'k3s', '--cluster', 'staging'], dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^policy-check: the base revision could not be checked \(policies\/config\.yaml:2: .*podSecurityMinimun.*\); every finding counts as new\n$/);
    const reason = run.stderr.slice('policy-check: the base revision could not be checked ('.length, run.stderr.indexOf('); every finding'));
    expect(run.stdout).toContain(`cluster k3s (flux; 2 entry points, 4 objects)\n  output not compared: the base revision could not be checked: ${reason}\n`);
    expect(run.stdout).toContain(`cluster staging (flux; 2 entry points, 4 objects)\n  output not compared: the base revision could not be checked: ${reason}\n`);
  });

  it('refuses --diff without --base', () => {
    const run = runCli(['--diff'], createFleetRepo());
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'policy-check: --diff compares with a base revision: give --base REF too, e.g. --base origin/main --diff (see --help)\n' });
  });
});
