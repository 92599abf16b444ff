import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck, type CheckResult } from '../tools/lib/render/run-check.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { substituteVariables } from '../tools/lib/render/flux-kustomization.ts';
import { renderApplicationSetTemplate } from '../tools/lib/render/discover.ts';

const ROOT = path.resolve(import.meta.dirname, 'fixtures/engine-repo');

let result: CheckResult;
beforeAll(async () => {
  result = await runCheck({ root: ROOT, rules: [pinnedTag], today: new Date('2026-11-23') });
});

const cluster = (name: string) => result.clusters.find((c) => c.rendered.name === name)!;
const objectIds = (name: string) =>
  cluster(name)
    .rendered.objects.map((o) => `${o.object.kind} ${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`)
    .sort();

describe('discovery', () => {
  it('finds every cluster folder', () => {
    expect(result.report.clusters.map((c) => c.name)).toEqual(['argo-prod', 'broken', 'flux-dev']);
  });

  it('follows Flux Kustomizations from a plain cluster folder and reports what it cannot follow', () => {
    const report = result.report.clusters.find((c) => c.name === 'flux-dev')!;
    expect(report.entryPoints.map((e) => `${e.engine} ${e.name} -> ${e.path}`)).toEqual([
      'flux clusters/flux-dev -> clusters/flux-dev',
      'flux Kustomization flux-system/api -> apps/api',
      'flux Kustomization flux-system/web -> overlays/dev',
    ]);
    expect(report.skipped.map((s) => `${s.name}: ${s.reason} @${s.declaredIn?.file}:${s.declaredIn?.line}`)).toEqual([
      'HelmRelease flux-system/cert-manager: Helm chart cert-manager v1.16.2 is not rendered: its HelmRepository flux-system/jetstack is not in this cluster @clusters/flux-dev/sync.yaml:61',
      'Kustomization flux-system/remote: its source is OCIRepository podinfo, not this git repository @clusters/flux-dev/sync.yaml:76',
    ]);
  });

  it('follows Argo CD Applications and ApplicationSet git directory generators from a kustomization', () => {
    const report = result.report.clusters.find((c) => c.name === 'argo-prod')!;
    expect(report.entryPoints.map((e) => `${e.engine} ${e.name} -> ${e.path}`)).toEqual([
      'argocd clusters/argo-prod -> clusters/argo-prod',
      'argocd Application argocd/web -> overlays/prod',
      'argocd Application argocd/apps/api -> apps/api',
    ]);
    expect(report.skipped).toHaveLength(1);
    // vitest.config.ts runs every test offline with an empty chart cache
    expect(report.skipped[0].reason).toBe(
      `Helm chart ingress-nginx 4.11.3 from https://kubernetes.github.io/ingress-nginx is not in the chart cache ${process.env.POLICY_CHECK_CHART_CACHE} and --offline forbids pulling it`,
    );
    // destination.namespace lands on objects that name none; the ApplicationSet excluded apps/web
    expect(objectIds('argo-prod')).toContain('Deployment api/api');
    expect(objectIds('argo-prod')).toContain('Deployment prod/web');
  });
});

describe('rendering', () => {
  it('applies Flux targetNamespace and postBuild substitution (inline wins over substituteFrom)', () => {
    const api = cluster('flux-dev').rendered.objects.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'api')!;
    expect(api.object.metadata.namespace).toBe('api');
    expect(api.object.metadata.labels).toEqual({ cluster: 'flux-dev' });
    expect((api.object as any).spec.template.spec.containers[0].image).toBe('ghcr.io/example/api:2.1.0');
  });

  it('keeps Argo CD sources unsubstituted (Argo has no postBuild)', () => {
    const api = cluster('argo-prod').rendered.objects.find((o) => o.object.metadata.name === 'api')!;
    expect((api.object as any).spec.template.spec.containers[0].image).toBe('ghcr.io/example/api:${API_TAG:=1.0.0}');
  });

  it('maps every object to its origin file and the overlays that patched it', () => {
    const web = cluster('flux-dev').rendered.objects.find((o) => o.object.metadata.name === 'dev-web')!;
    expect(web.origin).toEqual({ file: 'apps/web/deployment.yaml', transformedBy: ['overlays/dev/kustomization.yaml'], namePrefixes: ['dev-'] });
    expect(web.object.metadata.namespace).toBe('dev');
  });
});

describe('locating findings', () => {
  const findings = () => result.report.findings.map((f) => `${f.cluster} ${f.rule} ${f.location?.file}:${f.location?.line}:${f.location?.column}`);

  it('points at the strategic-merge patch line that set the field, not the base', () => {
    expect(findings()).toContain('flux-dev images/pinned-tag overlays/dev/web-image.yaml:10:11');
  });

  it('does not blame the base for a field an inline JSON patch fixed', () => {
    // the base's `busybox` has no tag; overlays/dev fixes it with an inline JSON6902 patch, overlays/prod with images:
    expect(findings().filter((f) => f.includes('apps/web/deployment.yaml'))).toEqual([]);
  });

  it('reports a broken overlay at the broken file and line, and still checks the healthy one beside it', () => {
    const broken = result.report.findings.filter((f) => f.cluster === 'broken');
    expect(broken.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`)).toEqual(['render/failed overlays/broken/bad.yaml:7']);
    expect(broken[0].message).toContain('Map keys must be unique');
    expect(broken[0].message).toContain('Kustomization flux-system/broken');
    expect(objectIds('broken')).toContain('Deployment prod/web');
  });

  it('gives each finding a stable fingerprint', () => {
    const prints = result.report.findings.map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('locating inline JSON6902 patches', () => {
  it('points at the op value line inside the kustomization', async () => {
    const rule = { ...pinnedTag, defaultOptions: { forbiddenTags: ['1.36.1'], requireDigest: false } };
    const r = await runCheck({ root: ROOT, rules: [rule], clusters: ['flux-dev'] });
    const f = r.report.findings.find((x) => x.message.includes('busybox:1.36.1'))!;
    expect(`${f.location?.file}:${f.location?.line}:${f.location?.column}`).toBe('overlays/dev/kustomization.yaml:15:16');
  });
});

describe('substituteVariables', () => {
  it('behaves like Flux', () => {
    expect(substituteVariables('a ${X} ${Y:=d} ${Z:-e} $${X} ${MISSING}', { X: '1', Y: '2' })).toBe('a 1 2 e ${X} ');
    // envsubst v1.1.0 funcs.go toDefault: `=` also replaces an empty value (unlike a shell)
    expect(substituteVariables('${EMPTY:=fallback} ${EMPTY=kept}', { EMPTY: '' })).toBe('fallback kept');
  });
});

describe('renderApplicationSetTemplate', () => {
  it('fills fasttemplate and Go template parameters', () => {
    const params = { path: { path: 'apps/api', basename: 'api', segments: ['apps', 'api'] }, env: 'prod' };
    expect(renderApplicationSetTemplate({ a: '{{path}}', b: '{{path.basename}}', c: '{{path[0]}}', d: '{{env}}' }, params, false)).toEqual({ a: 'apps/api', b: 'api', c: 'apps', d: 'prod' });
    expect(renderApplicationSetTemplate({ a: '{{.path.path}}', b: '{{ .path.basename }}', c: '{{index .path.segments 1}}' }, params, true)).toEqual({ a: 'apps/api', b: 'api', c: 'api' });
  });
});
