// One patch kustomize cannot apply is reported at the op that failed, naming the object, and the entry point is
// rendered again without it so the rest of the cluster is still checked. Real kustomize on test/fixtures/failed-patch.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKustomize } from '../../tools/lib/render/kustomize.ts';
import { renderEntryPoint } from '../../tools/lib/render/render.ts';
import { firstMissing, parsePatchFailure } from '../../tools/lib/render/failed-patch.ts';
import { run } from '../../tools/lib/render/process.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/failed-patch';
const kustomize = await findKustomize().catch(() => undefined);

const COMPONENT_PATCH =
  'could not apply patch test/fixtures/failed-patch/component/tiny-requests.yaml (patches[0] of test/fixtures/failed-patch/component/kustomization.yaml) on Deployment shop/web: ' +
  'op replace /spec/template/spec/containers/0/resources/requests: /spec/template/spec/containers/0/resources does not exist there; ' +
  '`replace` needs the path to exist; `add` sets a map key whether or not it is there (its parent must exist), and a strategic-merge patch creates the whole path. ' +
  'This cluster was checked without that patch, so findings for what it targets (Deployment shop/api, Deployment shop/web) may be incomplete';
const INLINE_PATCH =
  'could not apply inline patch 1 (patches[0] of test/fixtures/failed-patch/overlay/kustomization.yaml) on Deployment shop/web: ' +
  'op remove /spec/replicas: /spec/replicas does not exist there; `remove` needs the path to exist; a strategic-merge patch setting the field to null removes it only where present. ' +
  'This cluster was checked without that patch, so findings for what it targets (Deployment shop/web) may be incomplete';

describe('parsePatchFailure', () => {
  it('reads the op and path of kustomize 5 JSON 6902 failures, and the object of an unmatched strategic-merge patch', () => {
    expect(parsePatchFailure('accumulating resources: replace operation does not apply: doc is missing path: /spec/a/b: missing value')).toEqual({
      kind: 'json6902', op: 'replace', path: '/spec/a/b', text: 'replace operation does not apply: doc is missing path: /spec/a/b: missing value',
    });
    expect(parsePatchFailure('add operation does not apply: doc is missing path: "/spec/x/y": missing value')).toMatchObject({ op: 'add', path: '/spec/x/y' });
    expect(parsePatchFailure("error in remove for path: '/spec/replicas': Unable to remove nonexistent key: replicas: missing value")).toMatchObject({ op: 'remove', path: '/spec/replicas' });
    expect(parsePatchFailure('testing value /spec/replicas failed: test failed')).toMatchObject({ op: 'test', path: '/spec/replicas' });
    expect(parsePatchFailure('no resource matches strategic merge patch "Deployment.v1.apps/nothere.[noNs]": no matches for Id')).toMatchObject({ kind: 'no-match', id: 'Deployment.v1.apps/nothere.[noNs]' });
    expect(parsePatchFailure("accumulating resources from 'x': 'x' must resolve to a file")).toBeUndefined();
  });

  it('names the first segment of a pointer that is missing', () => {
    const object = { spec: { template: { spec: { containers: [{ name: 'a' }] } } } };
    expect(firstMissing(object, '/spec/template/spec/containers/0/resources/requests')).toBe('/spec/template/spec/containers/0/resources');
    expect(firstMissing(object, '/spec/template/spec/containers/1')).toBe('/spec/template/spec/containers/1');
    expect(firstMissing(object, '/spec/template')).toBeUndefined();
  });
});

describe.skipIf(!kustomize)('a failed patch with the real kustomize', () => {
  it('reports each failing patch at its op and still renders every object', async () => {
    const entry = { cluster: 'c', engine: 'path' as const, name: `${FIXTURE}/overlay`, path: `${FIXTURE}/overlay` };
    const result = await renderEntryPoint(ROOT, entry, kustomize!);
    expect(result.problems).toEqual([
      { entryPoint: entry.name, message: `${kustomize!.display} ${COMPONENT_PATCH}`, location: { file: `${FIXTURE}/component/tiny-requests.yaml`, line: 1, column: 3 }, key: `${FIXTURE}/component/tiny-requests.yaml:1` },
      { entryPoint: entry.name, message: `${kustomize!.display} ${INLINE_PATCH}`, location: { file: `${FIXTURE}/overlay/kustomization.yaml`, line: 15, column: 7 }, key: `${FIXTURE}/overlay/kustomization.yaml:15` },
    ]);
    expect(result.objects.map((o) => `${o.object.metadata.name} ${o.origin.file}`)).toEqual([`api ${FIXTURE}/base/deployments.yaml`, `web ${FIXTURE}/base/deployments.yaml`]);
    // a left-out entry is left out whole, for every object it targets: no env on web, api keeps its own requests
    expect((result.objects[1].object as any).spec.template.spec.containers[0].env).toBeUndefined();
    expect((result.objects[0].object as any).spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '64Mi' });
  }, 60_000);

  it('reports a strategic-merge patch for an object that is not rendered at its entry, and renders the rest', async () => {
    const entry = { cluster: 'c', engine: 'path' as const, name: 'smp', path: `${FIXTURE}/smp-no-match` };
    const result = await renderEntryPoint(ROOT, entry, kustomize!);
    expect(result.problems).toEqual([{
      entryPoint: 'smp',
      message: `${kustomize!.display} could not apply patch ${FIXTURE}/smp-no-match/scale-gone.yaml (patches[0] of ${FIXTURE}/smp-no-match/kustomization.yaml): ` +
        'no object Deployment.v1.apps/gone.shop is rendered where it is listed (kustomize: no resource matches strategic merge patch "Deployment.v1.apps/gone.shop"). ' +
        'This cluster was checked without that patch',
      location: { file: `${FIXTURE}/smp-no-match/kustomization.yaml`, line: 6, column: 5 },
      key: `${FIXTURE}/smp-no-match/kustomization.yaml:6`,
    }]);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['api', 'web']);
  }, 60_000);

  it('leaves out at most 5 patches, then reports the render as failed', async () => {
    const entry = { cluster: 'c', engine: 'path' as const, name: 'six', path: `${FIXTURE}/six-failing` };
    const result = await renderEntryPoint(ROOT, entry, kustomize!);
    expect(result.objects).toEqual([]);
    expect(result.problems.map((p) => `${p.location?.file}:${p.location?.line} ${p.message.split(': ').slice(0, 1).join('')}`)).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => `${FIXTURE}/six-failing/kustomization.yaml:${6 * i + 4} ${kustomize!.display} could not apply inline patch ${i} (patches[${i - 1}] of ${FIXTURE}/six-failing/kustomization.yaml)`),
      `${FIXTURE}/six-failing/kustomization.yaml:1 ${kustomize!.display} failed`,
    ]);
    expect(result.problems[4].message.endsWith('The render still failed without that patch')).toBe(true);
    expect(result.problems[5].message).toContain("error in remove for path: '/spec/missing6'");
  }, 60_000);

  it('the CLI reports the failed patches, the other findings of that cluster, no temporary path, and exit 1', () => {
    const { code, stdout } = runCli([`${FIXTURE}/overlay`, '--format', 'json'], ROOT);
    const report = JSON.parse(stdout);
    const failed = report.findings.filter((f: any) => f.rule === 'render/failed');
    expect(failed.map((f: any) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.message}`)).toEqual([
      `${FIXTURE}/component/tiny-requests.yaml:1:3 ${FIXTURE}/overlay: ${kustomize!.display} ${COMPONENT_PATCH}`,
      `${FIXTURE}/overlay/kustomization.yaml:15:7 ${FIXTURE}/overlay: ${kustomize!.display} ${INLINE_PATCH}`,
    ]);
    // the rest of the cluster is checked: api's floating tag, and web's missing resources (the patch did not hide them)
    const others = report.findings.filter((f: any) => ['images/pinned-tag', 'resources/requests-limits'].includes(f.rule));
    expect(others.map((f: any) => `${f.rule} ${f.object.name} ${f.location.file}:${f.location.line}`)).toEqual([
      `images/pinned-tag api ${FIXTURE}/base/deployments.yaml:33`,
      `resources/requests-limits web ${FIXTURE}/base/deployments.yaml:15`,
    ]);
    expect(report.clusters[0].objectCount).toBe(2);
    expect(stdout).not.toContain(os.tmpdir());
    expect(stdout).not.toContain('policy-check-');
    expect(code).toBe(1);
  }, 120_000);

  it('the repository\'s minimal-resources component sets requests on a workload that writes only limits', async () => {
    const result = await run(kustomize!.command, [...kustomize!.args, path.join(ROOT, FIXTURE, 'uses-minimal-resources')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(['        resources:', '          limits:', '            cpu: 200m', '            memory: 128Mi', '          requests:', '            cpu: 10m', '            memory: 64Mi'].join('\n'));
  }, 60_000);
});
