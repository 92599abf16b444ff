import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { K8sObject, Report } from '../../tools/lib/core/types.ts';
import { diffCluster, withRenderedDiff } from '../../tools/lib/report/rendered-diff.ts';
import { formatText } from '../../tools/lib/report/text.ts';

const side = (yaml: string) => ({ objects: parseAllDocuments(yaml).map((d) => d.toJS() as K8sObject), problems: [] });
const secret = (value: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ndata:\n  password: ${value}\n`;

function report(): Report {
  const base: Report = {
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0' },
    generatedAt: '2026-01-01T00:00:00Z',
    base: { ref: 'origin/main', commit: 'ba5e000000000000000000000000000000000002' },
    clusters: [{ name: 'staging', entryPoints: [], skipped: [], objectCount: 1 }],
    findings: [],
    summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0, new: 0, fixed: 0 },
    rules: [],
  };
  return withRenderedDiff(base, new Map([['staging', diffCluster(side(secret('aHVudGVyMg==')), side(secret('Y29ycmVjdA==')))]]));
}

describe('--diff in the text report', () => {
  it('prints the diff before the findings and says which Secret values changed without showing them', () => {
    expect(formatText(report(), { colour: false, diff: true })).toBe(`rendered diff of staging against origin/main (ba5e000): output changed (1 object: 1 changed)
--- base: Secret shop/db
+++ head: Secret shop/db
@@ -4,4 +4,4 @@
   name: db
   namespace: shop
 data:
-  password: <redacted>
+  password: <redacted, changed>
(Secret values are never printed; changed: data.password)

cluster staging (; 0 entry points, 1 objects)
  output changed (1 object: 1 changed)
  no findings

✔ 0 errors, 0 warnings, 0 new, 0 fixed in 1 cluster
`);
  });

  it('colours removed lines red, added lines green and hunk headers cyan, only when asked', () => {
    const text = formatText(report(), { colour: true, diff: true });
    expect(text).toContain('\x1b[31m-  password: <redacted>\x1b[0m\n\x1b[32m+  password: <redacted, changed>\x1b[0m\n');
    expect(text).toContain('\x1b[36m@@ -4,4 +4,4 @@\x1b[0m\n');
    expect(formatText(report(), { colour: false })).not.toContain('--- base');
  });
});
