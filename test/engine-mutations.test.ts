// Engine behaviour that the broader engine tests do not pin down: each test here fails if one specific
// small bug is introduced in the engine (found by mutating the code and watching which tests still passed).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, K8sObject, RenderedObject, Report } from '../tools/lib/core/types.ts';
import { defineRule, type ReportDescriptor } from '../tools/lib/core/rule.ts';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { locate, memorySourceReader } from '../tools/lib/core/locate.ts';
import { applyWaivers } from '../tools/lib/core/waive.ts';
import { clusterSettings, ConfigError, defaultConfig, loadConfig, ruleSeverity, type CheckConfig } from '../tools/lib/core/config.ts';
import { discoverFrom, type DiscoverContext } from '../tools/lib/render/discover.ts';
import { parseRendered } from '../tools/lib/render/render.ts';
import { substituteVariables } from '../tools/lib/render/flux-kustomization.ts';
import { preflight } from '../tools/lib/render/preflight.ts';
import { checkCluster } from '../tools/lib/core/check-cluster.ts';
import { formatPath, parseSource, walkPath } from '../tools/lib/core/yaml-source.ts';
import { formatSarif } from '../tools/lib/report/sarif.ts';
import { formatGithub } from '../tools/lib/report/github.ts';
import { formatText, summaryLine } from '../tools/lib/report/text.ts';
import { runCheck } from '../tools/lib/render/run-check.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { bareDeployment } from './helpers/manifests.ts';
import { writeTempRepo } from './helpers/temp-repo.ts';

const at = (l: { file: string; line: number; column: number } | undefined) => (l ? `${l.file}:${l.line}:${l.column}` : 'nowhere');

const tempRepo = (files: Record<string, string>) => writeTempRepo(files, 'engine-mutations-');

// ---------------------------------------------------------------- locate

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    tier: base
  annotations:
    example.com/owner: base
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
        - name: sidecar
          image: busybox
`;

const baseObject = (): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { tier: 'x' }, annotations: { 'example.com/owner': 'x' } },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.0' }, { name: 'sidecar', image: 'registry.example.com/busybox:1.36' }] } } },
});
const renderedWeb = (transformedBy: string[]): RenderedObject => ({ object: baseObject(), origin: { file: 'base/web.yaml', transformedBy }, entryPoint: 'e' });

/** A kustomization over ../base; `patches` is the items under `patches:`, each line ending with a newline. */
const overBase = (patches: string) => `resources:\n  - ../base\npatches:\n${patches}`;
/** One JSON6902 patch item for the object `kind`/`name` (in `namespace` when given); `ops` are jsonOp lines. */
const jsonPatch = (kind: string, name: string, ops: string, namespace?: string) => `  - target:
      kind: ${kind}
      name: ${name}
${namespace ? `      namespace: ${namespace}\n` : ''}    patch: |-
${ops}`;
const jsonOp = (op: string, opPath: string, value: string) => `      - op: ${op}
        path: ${opPath}
        value: ${value}
`;

describe('locate: patches that target other objects are not blamed', () => {
  const read = memorySourceReader({
    'base/web.yaml': BASE,
    'k/kustomization.yaml': overBase(
      jsonPatch('Service', 'web', jsonOp('replace', '/metadata/labels/tier', 'front')) +
        jsonPatch('Deployment', 'web', jsonOp('replace', '/metadata/labels/tier', 'back'), 'other') +
        '  - path: svc-patch.yaml\n',
    ),
    'k/svc-patch.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    tier: svc
`,
  });

  it('a JSON6902 patch for a Service, one for another namespace, and a strategic-merge patch of a Service leave the base line', () => {
    expect(at(locate(renderedWeb(['k/kustomization.yaml']), ['metadata', 'labels', 'tier'], read))).toBe('base/web.yaml:7:5');
  });
});

describe('locate: strategic-merge list items are matched by merge key, not index', () => {
  const read = memorySourceReader({
    'base/web.yaml': BASE,
    'k/kustomization.yaml': overBase('  - path: sidecar.yaml\n'),
    'k/sidecar.yaml': bareDeployment('web', 'sidecar', 'busybox:1.36'),
  });

  it('the sidecar (index 1 rendered, index 0 in the patch) points at the patch', () => {
    expect(at(locate(renderedWeb(['k/kustomization.yaml']), ['spec', 'template', 'spec', 'containers', 1, 'image'], read))).toBe('k/sidecar.yaml:10:11');
  });

  it('the web container, absent from the patch, points at the base, not at the patch item with the same index', () => {
    expect(at(locate(renderedWeb(['k/kustomization.yaml']), ['spec', 'template', 'spec', 'containers', 0, 'image'], read))).toBe('base/web.yaml:15:11');
  });
});

describe('locate: images entries', () => {
  it('an entry with newName and newTag points at newTag (the tag is what the finding is about)', () => {
    const read = memorySourceReader({
      'base/web.yaml': BASE,
      'k/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: busybox\n    newName: registry.example.com/busybox\n    newTag: "1.36"\n',
    });
    expect(at(locate(renderedWeb(['k/kustomization.yaml']), ['spec', 'template', 'spec', 'containers', 1, 'image'], read))).toBe('k/kustomization.yaml:6:13');
  });
});

describe('locate: the last transformation wins', () => {
  const smp = (tier: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    tier: ${tier}\n`;
  const read = memorySourceReader({
    'base/web.yaml': BASE,
    'inner/kustomization.yaml': overBase('  - path: p.yaml\n'),
    'inner/p.yaml': smp('inner'),
    'outer/kustomization.yaml': 'resources:\n  - ../inner\npatches:\n  - path: a.yaml\n  - path: b.yaml\n',
    'outer/a.yaml': smp('a'),
    'outer/b.yaml': '# b comes last\n' + smp('b'),
    'ops/kustomization.yaml': overBase(
      jsonPatch('Deployment', 'web', jsonOp('add', '/metadata/labels/tier', 'first') + jsonOp('replace', '/metadata/labels/tier', 'second')),
    ),
  });

  it('the outer overlay and, within it, the later patch', () => {
    expect(at(locate(renderedWeb(['inner/kustomization.yaml', 'outer/kustomization.yaml']), ['metadata', 'labels', 'tier'], read))).toBe('outer/b.yaml:7:5');
  });

  it('the later op of one JSON6902 patch', () => {
    expect(at(locate(renderedWeb(['ops/kustomization.yaml']), ['metadata', 'labels', 'tier'], read))).toBe('ops/kustomization.yaml:13:16');
  });
});

describe('locate: JSON pointer escapes', () => {
  it('~1 in an op path is a slash in the key', () => {
    const read = memorySourceReader({
      'base/web.yaml': BASE,
      'k/kustomization.yaml': overBase(jsonPatch('Deployment', 'web', jsonOp('replace', '/metadata/annotations/example.com~1owner', 'team-a'))),
    });
    expect(at(locate(renderedWeb(['k/kustomization.yaml']), ['metadata', 'annotations', 'example.com/owner'], read))).toBe('k/kustomization.yaml:10:16');
  });
});

describe('walkPath and formatPath', () => {
  it('a key without a value node (flow `{key}`) is located at the key, and counts as complete', () => {
    const source = parseSource('metadata:\n  labels: {team}\n');
    const walked = walkPath(source.documents[0].contents as any, ['metadata', 'labels', 'team']);
    expect([walked.complete, walked.depth]).toEqual([true, 3]);
    expect(source.lineCounter.linePos(walked.keyNode!.range![0])).toEqual({ line: 2, col: 12 });
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['metadata', 'annotations', 'example.com/owner', 'x', 0])).toBe('metadata.annotations["example.com/owner"].x[0]');
  });
});

// ---------------------------------------------------------------- discover

const discover = (yaml: string, repositoryUrls: string[], root = path.resolve(import.meta.dirname, 'fixtures/engine-repo')) => {
  const objects = objectsFromYaml(yaml, 'clusters/x/sync.yaml');
  const ctx: DiscoverContext = { root, cluster: 'x', known: objects, repositoryUrls, where: () => undefined };
  return discoverFrom(objects, ctx);
};

const fluxKustomization = (name: string, extra = '', source = 'flux-system') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  path: ./apps/api
  sourceRef:
    kind: GitRepository
    name: ${source}
${extra}---
`;
const gitRepository = (name: string, namespace: string, url: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  url: ${url}
---
`;

describe('discover: which repository is this one', () => {
  it('with repository.urls set, a GitRepository elsewhere is skipped and ssh / .git spellings of ours are followed', () => {
    const found = discover(
      gitRepository('other', 'flux-system', 'https://github.com/someone/else') +
        gitRepository('ours', 'flux-system', 'git@github.com:Example/fleet.git') +
        fluxKustomization('foreign', '', 'other') +
        fluxKustomization('mine', '', 'ours'),
      ['https://github.com/example/fleet'],
    );
    expect(found.entryPoints.map((e) => e.name)).toEqual(['Kustomization flux-system/mine']);
    expect(found.skipped.map((s) => `${s.name}: ${s.reason}`)).toEqual([
      'Kustomization flux-system/foreign: GitRepository other points at https://github.com/someone/else, not this repository',
    ]);
  });

  it('a GitRepository of the same name in another namespace is not the source', () => {
    const found = discover(gitRepository('flux-system', 'elsewhere', 'https://github.com/someone/else') + fluxKustomization('mine'), ['https://github.com/example/fleet']);
    expect(found.entryPoints.map((e) => e.name)).toEqual(['Kustomization flux-system/mine']);
    expect(found.skipped).toEqual([]);
  });

  it('an Argo CD source elsewhere is skipped when repository.urls is set', () => {
    const found = discover(
      `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: foreign
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/someone/else.git
    path: apps/api
`,
      ['https://github.com/example/fleet.git'],
    );
    expect(found.entryPoints).toEqual([]);
    expect(found.skipped.map((s) => s.reason)).toEqual(['source https://github.com/someone/else.git is not this repository']);
  });
});

describe('discover: Flux postBuild.substituteFrom', () => {
  const secret = `apiVersion: v1
kind: Secret
metadata:
  name: secret-vars
  namespace: flux-system
data:
  FROM_SECRET: ${Buffer.from('decoded').toString('base64')}
stringData:
  PLAIN: plain
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: elsewhere-vars
  namespace: other
data:
  WRONG: "1"
---
`;
  const postBuild = `  postBuild:
    substituteFrom:
      - kind: Secret
        name: secret-vars
      - kind: ConfigMap
        name: maybe-vars
        optional: true
      - kind: ConfigMap
        name: elsewhere-vars
`;

  it('decodes Secret data, skips a missing optional source, and does not take a ConfigMap from another namespace', () => {
    const found = discover(secret + fluxKustomization('api', postBuild), []);
    expect(found.entryPoints.map((e) => e.substitute)).toEqual([{ FROM_SECRET: 'decoded', PLAIN: 'plain' }]);
    expect(found.problems.map((p) => `${p.entryPoint}: ${p.message}`)).toEqual([
      'Kustomization flux-system/api: postBuild.substituteFrom ConfigMap elsewhere-vars is not in this repository for cluster x; Flux would fail this Kustomization (mark it optional: true if it is created out of band)',
    ]);
  });
});

describe('discover: overrides', () => {
  it('a Flux Kustomization hands its spec as written to render/flux-kustomization.ts', () => {
    const found = discover(
      fluxKustomization(
        'api',
        '  targetNamespace: api\n  namePrefix: p-\n  nameSuffix: -s\n  images:\n    - name: nginx\n      newTag: "1.27"\n  commonMetadata:\n    labels: { team: a }\n    annotations: { note: b }\n',
      ),
      [],
    );
    expect(found.entryPoints.map((e) => [e.flux?.targetNamespace, e.flux?.namePrefix, e.flux?.nameSuffix, e.flux?.images, e.flux?.commonMetadata, e.argo])).toEqual([
      ['api', 'p-', '-s', [{ name: 'nginx', newTag: '1.27' }], { labels: { team: 'a' }, annotations: { note: 'b' } }, undefined],
    ]);
  });

  it('an Argo CD source hands its kustomize options as written to render/argo-kustomize.ts', () => {
    const found = discover(
      `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/example/fleet.git
    path: apps/web
    kustomize:
      namePrefix: p-
      nameSuffix: -s
      namespace: ns
      images:
        - nginx=registry.example.com/nginx:1.27
        - busybox:1.36
        - alpine@sha256:abc
        - registry.local:5000/team/app:2.0
`,
      [],
    );
    // the strings are read by render/argo-kustomize.ts as `kustomize edit set image` reads them (test/render/reconciler-argo.test.ts)
    expect(found.entryPoints.map((e) => [e.argo?.application, e.argo?.source.kustomize, e.flux])).toEqual([
      [
        'web',
        {
          namePrefix: 'p-',
          nameSuffix: '-s',
          namespace: 'ns',
          images: ['nginx=registry.example.com/nginx:1.27', 'busybox:1.36', 'alpine@sha256:abc', 'registry.local:5000/team/app:2.0'],
        },
        undefined,
      ],
    ]);
  });
});

describe('discover: Argo CD multi-source applications and Helm folders', () => {
  it('numbers local sources, ignores a values-only ref source, and hands a chart folder to Helm rendering', () => {
    const root = tempRepo({ 'charts/app/Chart.yaml': 'name: app\n', 'apps/a/x.yaml': '', 'apps/b/x.yaml': '' });
    const found = discover(
      `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: multi
  namespace: argocd
spec:
  sources:
    - repoURL: https://github.com/example/fleet.git
      path: apps/a
    - repoURL: https://github.com/example/fleet.git
      ref: values
    - repoURL: https://github.com/example/fleet.git
      path: apps/b
    - repoURL: https://github.com/example/fleet.git
      path: charts/app
`,
      [],
      root,
    );
    expect(found.entryPoints.map((e) => `${e.name} -> ${e.path}`)).toEqual([
      'Application argocd/multi (source 1) -> apps/a',
      'Application argocd/multi (source 3) -> apps/b',
    ]);
    expect(found.skipped).toEqual([]);
    expect(found.helm.map((h) => `${h.name}: ${h.chartLabel} as ${h.releaseName} in ${h.namespace}`)).toEqual([
      'Application argocd/multi (source 4): chart folder charts/app as multi in default',
    ]);
  });
});

// ---------------------------------------------------------------- render

describe('parseRendered', () => {
  const root = '/repo';
  const wrapperDir = '/tmp/wrapper';
  const entry = { cluster: 'c', engine: 'flux' as const, name: 'Kustomization flux-system/api', path: 'apps/api', flux: { postBuild: { substitute: { TAG: 'v2' } } }, substitute: { TAG: 'v2' } };
  const output = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  annotations:
    kustomize.toolkit.fluxcd.io/substitute: disabled
    config.kubernetes.io/origin: |
      path: ../../repo/apps/api/kept.yaml
data:
  tag: \${TAG}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: substituted
  annotations:
    config.kubernetes.io/origin: |
      path: ../../repo/apps/api/cm.yaml
    alpha.config.kubernetes.io/transformations: |
      - configuredIn: ../../repo/overlays/x/kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: ImageTagTransformer
      - configuredIn: ../../elsewhere/kustomization.yaml
        configuredBy:
          apiVersion: builtin
          kind: PatchTransformer
data:
  tag: \${TAG}
`;

  it('leaves objects with substitute: disabled alone, strips origin annotations, keeps image transformers inside the repository', () => {
    const { objects, problems } = parseRendered(output, entry, wrapperDir, root);
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.object.metadata, (o.object as any).data, o.origin])).toEqual([
      [{ name: 'kept', annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }, { tag: '${TAG}' }, { file: 'apps/api/kept.yaml', transformedBy: [] }],
      [{ name: 'substituted' }, { tag: 'v2' }, { file: 'apps/api/cm.yaml', transformedBy: ['overlays/x/kustomization.yaml'] }],
    ]);
  });
});

describe('render: reconciler overrides reach kustomize', () => {
  it('Flux nameSuffix and commonMetadata labels are applied', async () => {
    const root = tempRepo({
      'clusters/c/sync.yaml': fluxKustomization('app', '  nameSuffix: -x\n  commonMetadata:\n    labels:\n      team: a\n').replace('./apps/api', './app'),
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: n\ndata:\n  a: "1"\n',
    });
    const result = await runCheck({ root, rules: [] });
    const cm = result.clusters[0].rendered.objects.find((o) => o.object.kind === 'ConfigMap')!;
    expect([cm.object.metadata.name, cm.object.metadata.labels]).toEqual(['settings-x', { team: 'a' }]);
  });
});

// ---------------------------------------------------------------- substitute

describe('substituteVariables', () => {
  it('${VAR=default} uses the default only when VAR is unset', () => {
    expect(substituteVariables('${U=dflt}|${S=dflt}|${U:=d2}', { S: 'set' })).toBe('dflt|set|d2');
  });
});

// ---------------------------------------------------------------- preflight

describe('preflight', () => {
  const dup = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n';

  it('reads patch files and components, not just resources', () => {
    const root = tempRepo({
      'k/kustomization.yaml': 'resources: []\ncomponents:\n  - ../comp\npatches:\n  - path: patch.yaml\n',
      'k/patch.yaml': dup,
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - broken.yaml\n',
      'comp/broken.yaml': dup,
    });
    expect(preflight(root, path.join(root, 'k'), 'e').map((p) => `${at(p.location)} ${p.message}`).sort()).toEqual([
      'comp/broken.yaml:7:3 comp/broken.yaml:7:3: Map keys must be unique',
      'k/patch.yaml:7:3 k/patch.yaml:7:3: Map keys must be unique',
    ]);
  });

  it('reads the files of a plain folder', () => {
    const root = tempRepo({ 'plain/a.yaml': dup });
    expect(preflight(root, path.join(root, 'plain'), 'e').map((p) => `${at(p.location)} ${p.message}`)).toEqual(['plain/a.yaml:7:3 plain/a.yaml:7:3: Map keys must be unique']);
  });
});

// ---------------------------------------------------------------- evaluate

const TWO = `apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data:
  key: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
data:
  key: b
`;

function probe(report: (object: K8sObject, other: K8sObject) => ReportDescriptor) {
  return defineRule({
    id: 'test/probe',
    severity: 'warning',
    description: 'd',
    rationale: 'r',
    howToFix: 'h',
    check: (ctx) => {
      const [one, two] = ctx.graph.byKind('ConfigMap');
      ctx.report(report(one, two));
    },
  });
}

function evaluate(rule: ReturnType<typeof probe>, config: CheckConfig = defaultConfig(), yaml = TWO) {
  const objects = objectsFromYaml(yaml, 'apps/case.yaml');
  return checkCluster({ objects, settings: clusterSettings(config, 'c'), rules: [rule], config, sources: memorySourceReader({ 'apps/case.yaml': yaml }), today: new Date() }).findings;
}

describe('evaluate', () => {
  it('keeps the per-finding severity, the fix and the related place with its location', () => {
    const rule = probe((one, two) => ({
      object: one,
      path: ['data', 'key'],
      message: 'm',
      severity: 'error',
      fix: 'do this',
      related: [{ object: two, path: ['data', 'key'], message: 'the other one' }],
    }));
    const [finding] = evaluate(rule);
    expect({ ...finding, fingerprint: undefined }).toEqual({
      rule: 'test/probe',
      severity: 'error',
      cluster: 'c',
      message: 'm',
      fingerprint: undefined,
      object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'one' },
      path: ['data', 'key'],
      fix: 'do this',
      location: { file: 'apps/case.yaml', line: 6, column: 3 },
      related: [{ message: 'the other one', location: { file: 'apps/case.yaml', line: 13, column: 3 }, object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'two' } }],
    });
  });

  it('an identity fingerprint does not depend on the object shown', () => {
    const a = evaluate(probe((one) => ({ object: one, path: ['data'], message: 'm', identity: 'cluster-wide' })));
    const b = evaluate(probe((_one, two) => ({ object: two, path: ['data'], message: 'm', identity: 'cluster-wide' })));
    const c = evaluate(probe((one) => ({ object: one, path: ['data'], message: 'm' })));
    expect(a[0].fingerprint).toBe(b[0].fingerprint);
    expect(c[0].fingerprint).not.toBe(a[0].fingerprint);
  });

  it('paths keep findings only in matching files', () => {
    const config = { ...defaultConfig(), rules: { 'test/probe': { paths: ['other/**'] } } };
    expect(evaluate(probe((one) => ({ object: one, message: 'm' })), config)).toEqual([]);
    const inScope = { ...defaultConfig(), rules: { 'test/probe': { paths: ['apps/**'] } } };
    expect(evaluate(probe((one) => ({ object: one, message: 'm' })), inScope).map((f) => at(f.location))).toEqual(['apps/case.yaml:1:1']);
  });
});

// ---------------------------------------------------------------- waive

const WAIVABLE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: one
  namespace: shop
data:
  key: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
  namespace: shop
  annotations:
    policy-check.dev/waivers: |
      - rule: test/other
        reason: not this rule
        expires: 2027-01-31
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: three
  namespace: shop
  annotations:
    policy-check.dev/waivers: |
      - rule: test/probe
        reason: "  "
        expires: 2027-01-31
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: four
  namespace: shop
  annotations:
    policy-check.dev/waivers: |
      - rule: test/probe
        reason: expired annotation
        expires: 2026-01-31
`;

function waive(config: Partial<CheckConfig>, today: string, cluster = 'c', findingsFor: string[] = ['one', 'two', 'four']) {
  const objects = objectsFromYaml(WAIVABLE, 'apps/case.yaml');
  const graph = new ClusterGraph(cluster, objects);
  const findings: Finding[] = findingsFor.flatMap((name) =>
    ['data', 'metadata'].map((field) => ({
      rule: 'test/probe',
      severity: 'error' as const,
      cluster,
      object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name },
      path: [field],
      message: `${name} ${field}`,
      fingerprint: `${name}-${field}`,
      location: { file: 'apps/case.yaml', line: 1, column: 1 },
    })),
  );
  const full: CheckConfig = { ...defaultConfig(), file: 'policies/config.yaml', ...config };
  return applyWaivers(findings, cluster, graph, full, memorySourceReader({ 'apps/case.yaml': WAIVABLE }), new Date(today))
    .filter((f) => findingsFor.includes('three') || f.rule !== 'policy/invalid-waiver')
    .map(
    (f) => `${f.rule} ${f.object ? `${f.object.name} ` : ''}${at(f.location)} ${f.suppressed ? `waived(${f.suppressed.kind}) ` : ''}${f.message}`,
  );
}

const configWaiver = (extra: Record<string, string>) => ({ rule: 'test/probe', reason: 'accepted', expires: '2027-01-31', line: 4, ...extra });

describe('waivers', () => {
  it('annotations: only the named rule is waived, a blank reason is invalid, an expired one is reported once per object', () => {
    expect(waive({}, '2026-11-23T12:00:00Z', 'c', ['one', 'two', 'three', 'four'])).toEqual([
      'policy/invalid-waiver three apps/case.yaml:27:7 the policy-check.dev/waivers annotation is invalid: reason must say why in at least 10 characters, got "  "; this waiver waives nothing',
      'test/probe one apps/case.yaml:1:1 one data',
      'test/probe one apps/case.yaml:1:1 one metadata',
      'test/probe two apps/case.yaml:1:1 two data',
      'test/probe two apps/case.yaml:1:1 two metadata',
      'test/probe three apps/case.yaml:1:1 three data',
      'test/probe three apps/case.yaml:1:1 three metadata',
      'test/probe four apps/case.yaml:1:1 four data',
      'policy/expired-waiver four apps/case.yaml:37:5 waiver annotation for test/probe expired on 2026-01-31 (reason was: expired annotation); fix the finding or renew the waiver',
      'test/probe four apps/case.yaml:1:1 four metadata',
    ]);
  });

  it('a config waiver applies only to its cluster, object, file and rule', () => {
    const only = (extra: Record<string, string>, cluster = 'c') => waive({ waivers: [configWaiver(extra)] }, '2026-11-23', cluster, ['one', 'two']).filter((f) => f.includes('waived'));
    expect(only({ cluster: 'other' })).toEqual([]);
    expect(only({ cluster: 'c' })).toHaveLength(4);
    expect(only({ object: 'ConfigMap shop/two' })).toEqual(['test/probe two apps/case.yaml:1:1 waived(config) two data', 'test/probe two apps/case.yaml:1:1 waived(config) two metadata']);
    expect(only({ object: 'ConfigMap shop/t*' })).toHaveLength(2);
    expect(only({ file: 'other/**' })).toEqual([]);
    expect(only({ file: 'apps/*.yaml' })).toHaveLength(4);
    expect(only({ rule: 'test/other' })).toEqual([]);
  });

  it('a waiver is valid through the whole day it expires, then one expired finding per object', () => {
    const waivers = [configWaiver({})];
    expect(waive({ waivers }, '2027-01-31T18:00:00Z', 'c', ['one']).filter((f) => !f.includes('waived'))).toEqual([]);
    expect(waive({ waivers }, '2027-02-01T00:00:01Z', 'c', ['one', 'two'])).toEqual([
      'test/probe one apps/case.yaml:1:1 one data',
      'policy/expired-waiver policies/config.yaml:4:5 waiver for test/probe expired on 2027-01-31 (reason was: accepted); fix the finding or renew the waiver',
      'test/probe one apps/case.yaml:1:1 one metadata',
      'test/probe two apps/case.yaml:1:1 two data',
      'policy/expired-waiver policies/config.yaml:4:5 waiver for test/probe expired on 2027-01-31 (reason was: accepted); fix the finding or renew the waiver',
      'test/probe two apps/case.yaml:1:1 two metadata',
    ]);
  });
});

// ---------------------------------------------------------------- config

describe('config', () => {
  const load = (text: string) => {
    const root = tempRepo({ 'policies/config.yaml': text });
    return loadConfig(root, undefined, [pinnedTag]);
  };
  const errorOf = (text: string) => {
    try {
      load(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return `${(error as ConfigError).line}: ${(error as Error).message.replace(/^.*config\.yaml:\d+: /, '')}`;
    }
    return 'no error';
  };

  it('refuses a waiver for an unknown rule, and an expiry that is not a date', () => {
    expect(errorOf('waivers:\n  - rule: images/nope\n    reason: reviewed by the team\n    expires: 2027-01-01\n')).toBe('2: waiver for unknown rule "images/nope"');
    expect(errorOf('waivers:\n  - rule: images/pinned-tag\n    reason: reviewed by the team\n    expires: 2027-13-45\n')).toBe('4: invalid waiver: expires must be a real calendar date as YYYY-MM-DD, got "2027-13-45"');
  });

  it('reads repository urls, and cluster settings with defaults', () => {
    const config = load('repository:\n  urls: [https://github.com/example/fleet]\nclusters:\n  a:\n    kubernetesVersion: v1.30\n');
    expect(config.repositoryUrls).toEqual(['https://github.com/example/fleet']);
    expect(clusterSettings(config, 'a')).toEqual({ name: 'a', kubernetesVersion: '1.30', capacity: undefined, podSecurityMinimum: 'restricted' });
  });

  it('records each waiver\'s own line, for expired-waiver findings', () => {
    const config = load('# waivers\nwaivers:\n  - rule: images/pinned-tag\n    reason: reviewed by the team\n    expires: 2027-01-01\n  - rule: images/pinned-tag\n    reason: reviewed by the team\n    expires: 2027-02-01\n');
    expect(config.waivers.map((w) => w.line)).toEqual([3, 6]);
  });

  it('a per-cluster severity wins over the rule\'s global one', () => {
    const config = load('rules:\n  images/pinned-tag:\n    severity: info\n    clusters:\n      a: { severity: warning }\n');
    expect([ruleSeverity(config, pinnedTag, 'a'), ruleSeverity(config, pinnedTag, 'b')]).toEqual(['warning', 'info']);
  });

  it('cluster settings fall back to restricted Pod Security when the defaults name none', () => {
    const config: CheckConfig = { ...defaultConfig(), defaults: { kubernetesVersion: '1.31' } as CheckConfig['defaults'] };
    expect(clusterSettings(config, 'a').podSecurityMinimum).toBe('restricted');
  });
});

// ---------------------------------------------------------------- reports

const finding = (extra: Partial<Finding & { status: 'new' | 'unchanged' }>): Finding => ({
  rule: 'images/pinned-tag',
  severity: 'info',
  cluster: 'c',
  message: 'msg',
  fingerprint: 'f',
  location: { file: 'a.yaml', line: 5, column: 3 },
  ...extra,
});

const reportOf = (findings: Finding[], summary: Partial<Report['summary']> = {}): Report => ({
  schemaVersion: 1,
  tool: { name: 'policy-check', version: '0.0.0' },
  generatedAt: '2026-01-01T00:00:00Z',
  clusters: [{ name: 'c', entryPoints: [{ engine: 'flux', name: 'e', path: 'p', declaredIn: { file: 'clusters/c/sync.yaml', line: 7, column: 3 } }], skipped: [], objectCount: 1 }],
  findings,
  summary: { errors: 0, warnings: 0, infos: 0, suppressed: 0, blocking: 0, ...summary },
  rules: [],
});

const docs = [{ id: 'images/pinned-tag', severity: 'warning' as const, description: 'd', rationale: 'r', howToFix: 'h' }];

describe('reports', () => {
  it('sarif: info is a note, annotation waivers are in-source, related places without a location are left out, a finding without location uses the entry point', () => {
    const log = JSON.parse(
      formatSarif(
        reportOf([
          finding({ suppressed: { kind: 'annotation', reason: 'why', expires: '2027-01-01' }, related: [{ message: 'nowhere' }, { message: 'here', location: { file: 'b.yaml', line: 2, column: 1 } }] }),
          finding({ location: undefined }),
        ]),
        docs,
      ),
    );
    const [first, second] = log.runs[0].results;
    expect(first.level).toBe('note');
    expect(first.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'why (expires 2027-01-01)' }]);
    expect(first.relatedLocations).toEqual([
      { id: 0, message: { text: 'here' }, physicalLocation: { artifactLocation: { uri: 'b.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 1 } } },
    ]);
    expect(second.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'clusters/c/sync.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 7, startColumn: 3 } });
  });

  it('github: waived and unchanged findings are not annotated, errors come first, info is a notice', () => {
    const out = formatGithub(
      reportOf(
        [
          finding({ message: 'waived', suppressed: { kind: 'config', reason: 'r', expires: '2027-01-01' } }),
          finding({ message: 'old warning', severity: 'warning', status: 'unchanged' } as any),
          finding({ message: 'old error', severity: 'error', status: 'unchanged' } as any),
          finding({ message: 'info' }),
          finding({ message: 'new error', severity: 'error', status: 'new' } as any),
        ],
        { errors: 1, infos: 1, suppressed: 1, blocking: 1 },
      ),
    );
    expect(out).toBe(
      [
        '::error file=a.yaml,line=5,col=3,title=images/pinned-tag (c)::new error',
        '::notice file=a.yaml,line=5,col=3,title=images/pinned-tag (c)::info',
        '✖ 1 error, 0 warnings, 1 waived in 1 cluster',
        '',
      ].join('\n'),
    );
  });

  it('text: findings of a file in line order, no fix for a waived finding, waived count in the summary', () => {
    const text = formatText(
      reportOf(
        [
          finding({ message: 'later', severity: 'warning', location: { file: 'a.yaml', line: 9, column: 1 } }),
          finding({ message: 'waived', fix: 'FIXME', suppressed: { kind: 'config', reason: 'r', expires: '2027-01-01' }, location: { file: 'a.yaml', line: 2, column: 1 } }),
        ],
        { warnings: 1, suppressed: 1 },
      ),
      { colour: false },
    );
    expect(text.split('\n').slice(1, 6)).toEqual([
      '  a.yaml',
      '    2:1      waived   images/pinned-tag                waived',
      '                      waived until 2027-01-01: r',
      '    9:1      warning  images/pinned-tag                later',
      '',
    ]);
    expect(text).not.toContain('FIXME');
    expect(summaryLine(reportOf([], { warnings: 1, suppressed: 1 }))).toBe('✔ 0 errors, 1 warning, 1 waived in 1 cluster');
    expect(summaryLine(reportOf([], { errors: 1, blocking: 0 }))).toBe('✔ 1 error, 0 warnings in 1 cluster');
  });
});
