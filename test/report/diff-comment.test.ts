// The rendered diff in the PR comment: status lines, collapsed per-cluster diffs, trimming, escaping.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterReport, K8sObject, Report } from '../../tools/lib/core/types.ts';
import { renderComment } from '../../tools/lib/report/comment.ts';
import { GITHUB_COMMENT_LIMIT } from '../../tools/lib/report/fit.ts';
import { diffCluster, withRenderedDiff } from '../../tools/lib/report/rendered-diff.ts';
import { clipDiff, renderedOutputSections } from '../../tools/lib/report/diff-comment.ts';
import { compileReportValidator } from '../../tools/lib/report/report-schema.ts';
import { buildReport, HEAD_SHA } from '../helpers/fake-github.ts';

const context = { repositoryUrl: 'https://github.com/acme/fleet', headSha: HEAD_SHA };
const side = (yaml: string) => ({ objects: parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject), problems: [] });
const cluster = (name: string): ClusterReport => ({ name, entryPoints: [], skipped: [], objectCount: 1, connectivity: [], baseConnectivity: [] });

function deployment(name: string, image: string, env = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n${env}`;
}

function withDiffs(report: Report, sides: Record<string, [string, string]>): Report {
  const diffs = new Map(Object.entries(sides).map(([name, [before, after]]) => [name, diffCluster(side(before), side(after))]));
  return withRenderedDiff({ ...report, clusters: Object.keys(sides).map(cluster) }, diffs);
}

describe('rendered output in the PR comment', () => {
  it('says per cluster whether its output changed, with the diff collapsed under it', () => {
    const report = withDiffs(buildReport({ findings: [] }), {
      kind: [deployment('web', 'nginx:1.27.0'), deployment('web', 'nginx:1.27.0')],
      staging: [deployment('web', 'nginx:1.27.0'), `${deployment('web', 'nginx:1.27.1')}---\n${deployment('api', 'api:2.0.0')}`],
    });
    const body = renderComment(report, context).body;
    const start = body.indexOf('\n#### Rendered output');
    const end = body.indexOf('\n---\n<sub>');
    expect(body.slice(start, end)).toBe(`
#### Rendered output

- **kind**: output unchanged
- :pencil2: **staging**: output changed (2 objects)

<details><summary>Rendered diff of staging: 1 added, 1 changed (+12 −1 lines)</summary>

\`\`\`diff
--- /dev/null
+++ head: Deployment shop/api
@@ -0,0 +1,11 @@
+apiVersion: apps/v1
+kind: Deployment
+metadata:
+  name: api
+  namespace: shop
+spec:
+  template:
+    spec:
+      containers:
+        - image: api:2.0.0
+          name: app
\`\`\`

\`\`\`diff
--- base: Deployment shop/web
+++ head: Deployment shop/web
@@ -7,5 +7,5 @@
   template:
     spec:
       containers:
-        - image: nginx:1.27.0
+        - image: nginx:1.27.1
           name: app
\`\`\`

</details>
`);
    expect(compileReportValidator()(report)).toEqual({ ok: true, report });
  });

  it('names a cluster that could not be compared, and lists none of its flows as no longer allowed', () => {
    const base = buildReport({ findings: [] });
    const kind: ClusterReport = { ...cluster('kind'), connectivity: [], baseConnectivity: [{ from: 'anywhere', to: 'Deployment kind/web', port: 8080, protocol: 'TCP' }] };
    const failed = { objects: [], problems: [{ entryPoint: 'apps', message: 'kubectl kustomize failed: missing resource <b>x</b>' }] };
    const report = withRenderedDiff({ ...base, clusters: [kind] }, new Map([['kind', diffCluster(side(deployment('web', 'nginx:1')), failed)]]));
    const body = renderComment(report, context).body;
    expect(body).toContain('- :warning: **kind**: not compared, it does not render at the head of this change \\(apps\\: kubectl kustomize failed\\: missing resource &lt;b&gt;x&lt;/b&gt;\\)\n');
    expect(body).not.toContain('no longer allowed');
    expect(body).not.toContain('<details><summary>Rendered diff');
    // without withRenderedDiff the same report would have listed the lost flow
    expect(renderComment({ ...base, clusters: [kind] }, context).body).toContain('(no longer allowed)');
  });

  it('escapes cluster names and fences diffs so repository text cannot close them', () => {
    const sneaky = '<img src=x onerror=alert(1)>';
    const report = withDiffs(buildReport({ findings: [] }), {
      [sneaky]: [deployment('web', 'nginx:1'), deployment('web', 'nginx:1', '          args: ["```", "</details>", "@admin"]\n')],
    });
    const body = renderComment(report, context).body;
    expect(body).not.toContain(sneaky);
    expect(body).toContain('- :pencil2: **&lt;img src\\=x onerror\\=alert\\(1\\)&gt;**: output changed (1 object)\n');
    expect(body).toContain('<details><summary>Rendered diff of &lt;img src\\=x onerror\\=alert\\(1\\)&gt;: 1 changed (+5 −1 lines)</summary>\n\n````diff\n');
    expect(body.match(/<\/details>/g)).toHaveLength(2); // the real one and the one inside the fence
    expect(body).toContain('+        - args:\n+            - "```"\n+            - </details>\n+            - "@admin"\n+          image: nginx:1\n           name: app\n````\n');
  });

  it('trims diffs to stay under 65,536 characters, says what was cut, and keeps every status line', () => {
    const big = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => deployment(`app-${String(i).padStart(3, '0')}`, `registry.example.com/team/app-${i}:${tag}`, `          env:\n${Array.from({ length: 40 }, (_, j) => `            - name: VARIABLE_${j}\n              value: "${tag}-${j}"\n`).join('')}`)).join('---\n');
    const report = withDiffs(buildReport({ findings: [] }), {
      production: [big(30, 'v1'), big(30, 'v2')],
      staging: [big(30, 'v1'), big(30, 'v2')],
    });
    expect(report.clusters.map((c) => c.diff!.objects.length)).toEqual([30, 30]);
    const { body, cuts } = renderComment(report, context);
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain('- :pencil2: **production**: output changed (30 objects)\n- :pencil2: **staging**: output changed (30 objects)\n');
    // staging, the later section, is cut first, entirely; production keeps what fits
    expect(cuts.map((c) => [c.unit, c.total, c.omitted === c.total])).toEqual([
      ['object diffs of production', 30, false],
      ['object diffs of staging', 30, true],
    ]);
    const production = cuts[0];
    expect(body).toContain(`\n_… ${production.omitted} more object diffs of production not shown (comment size limit)._\n</details>\n`);
    expect(body).toContain(`Cut to stay under GitHub's 65,536-character comment limit: ${production.omitted} of 30 object diffs of production, all 30 object diffs of staging. `);
    expect(body).toContain('Every rendered diff is in the json report artifact (<code>clusters[].diff</code>) and locally in <code>npx tsx tools/check.ts --base REF --diff</code>.');
    expect(body).not.toContain('Rendered diff of staging');
    expect(body.split('\n').filter((l) => /^`{3,}/.test(l)).length % 2).toBe(0);
    expect(body.match(/<details>/g)!.length).toBe(body.match(/<\/details>/g)!.length);
  });

  it("clips one object's diff at whole lines and says how many lines are left out", () => {
    const diff = Array.from({ length: 100 }, (_, i) => `+line ${i}`).join('\n') + '\n';
    expect(clipDiff(diff, 40)).toBe("+line 0\n+line 1\n+line 2\n+line 3\n+line 4\n… 95 more lines of this object's diff not shown (the json report has all of it)\n");
    expect(clipDiff(diff, 10_000)).toBe(diff);
  });

  it('adds nothing to a comment without --base', () => {
    const { base, ...withoutBase } = buildReport({ findings: [] });
    expect(base).toBeDefined();
    expect(renderedOutputSections(withoutBase as Report)).toEqual([]);
    expect(renderComment(withoutBase as Report, context).body).not.toContain('Rendered output');
  });
});
