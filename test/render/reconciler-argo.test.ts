// What Argo CD v2.13.3's repo-server and controller deploy, pinned against their source, each with the real
// kustomize on a small repository. Sources (fetched snapshot of argoproj/argo-cd at v2.13.3, the version
// clusters/staging/README.md installs, which ships kustomize 5.4.3: hack/tool-versions.sh):
//   K = util/kustomize/kustomize.go (Build: the `kustomize edit` commands, then `kustomize build`)
//   R = reposerver/repository/repository.go
//   S = controller/state.go (DeduplicateTargetObjects)
//   E = kustomize v5.4.3 kustomize/commands/edit/ (add/addmetadata.go, set/setimage.go, set/setreplicas.go)
// Each test failed on main before the render moved to tools/lib/render/argo-kustomize.ts, except labelWithoutSelector
// alone (main's labels entry happened to match `--without-selector`), kept as the counterpart of the commonLabels test.
import { describe, expect, it } from 'vitest';
import { KUSTOMIZATION, argoApplication, configMap, deployment, renderRepo } from '../helpers/reconciler-repo.ts';
import { argoEnvsubst, argoGlobMatch } from '../../tools/lib/render/argo-kustomize.ts';

const ENTRY = 'Application argocd/app';
const NETPOL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
`;
const webApp = (kustomize: string, kustomization = `${KUSTOMIZATION}resources:\n  - web.yaml\n  - netpol.yaml\n`) => ({
  'clusters/c/app.yaml': argoApplication('app', `    kustomize:\n${kustomize}`),
  'app/kustomization.yaml': kustomization,
  'app/web.yaml': deployment('web', undefined),
  'app/netpol.yaml': NETPOL,
});

describe('Argo CD: kustomize.commonLabels is `kustomize edit add label` (K:200), i.e. commonLabels', () => {
  it('the label also goes into selectors, pod templates and NetworkPolicy selectors and peers (E addmetadata.go addLabels -> m.CommonLabels)', async () => {
    const r = await renderRepo(webApp('      commonLabels:\n        team: shop\n'));
    const web = r.get('Deployment', 'web') as any;
    const netpol = r.get('NetworkPolicy', 'web-egress') as any;
    expect([web.metadata.labels, web.spec.selector.matchLabels, web.spec.template.metadata.labels]).toEqual([
      { app: 'web', team: 'shop' },
      { app: 'web', team: 'shop' },
      { app: 'web', team: 'shop' },
    ]);
    // the DNS peer now needs team=shop on kube-dns: the policy the checker judges is the one that breaks DNS
    expect([netpol.spec.podSelector.matchLabels, netpol.spec.egress[0].to[0].podSelector.matchLabels]).toEqual([
      { app: 'web', team: 'shop' },
      { 'k8s-app': 'kube-dns', team: 'shop' },
    ]);
  });

  it('labelWithoutSelector: a labels entry without selectors or templates (K:205 --without-selector; E addLabels IncludeSelectors: false)', async () => {
    const r = await renderRepo(webApp('      labelWithoutSelector: true\n      commonLabels:\n        team: shop\n'));
    const web = r.get('Deployment', 'web') as any;
    expect([web.metadata.labels, web.spec.selector.matchLabels, web.spec.template.metadata.labels]).toEqual([{ app: 'web', team: 'shop' }, { app: 'web' }, { app: 'web' }]);
  });

  it('a label the kustomization already sets fails the build without forceCommonLabels (E writeToMap "already in kustomization file"), and is replaced with it (K:202 --force)', async () => {
    const kustomization = `${KUSTOMIZATION}commonLabels:\n  team: old\nresources:\n  - web.yaml\n  - netpol.yaml\n`;
    const failing = await renderRepo(webApp('      commonLabels:\n        team: shop\n', kustomization));
    expect(failing.findings.map((f) => [f.rule, f.message])).toEqual([
      ['render/failed', `${ENTRY}: Argo CD would fail to build app: kustomize edit failed: label team already in kustomization file`],
    ]);
    const forced = await renderRepo(webApp('      forceCommonLabels: true\n      commonLabels:\n        team: shop\n', kustomization));
    expect((forced.get('Deployment', 'web') as any).spec.selector.matchLabels).toEqual({ app: 'web', team: 'shop' });
  });

  it('commonAnnotations likewise, with forceCommonAnnotations (K:224), and ${ARGOCD_APP_*} only with commonAnnotationsEnvsubst (K:227-230)', async () => {
    const kustomization = `${KUSTOMIZATION}commonAnnotations:\n  owner: old\nresources:\n  - web.yaml\n  - netpol.yaml\n`;
    const failing = await renderRepo(webApp('      commonAnnotations:\n        owner: shop\n', kustomization));
    expect(failing.findings.map((f) => f.message)).toEqual([`${ENTRY}: Argo CD would fail to build app: kustomize edit failed: annotation owner already in kustomization file`]);
    const forced = await renderRepo(
      webApp('      forceCommonAnnotations: true\n      commonAnnotationsEnvsubst: true\n      commonAnnotations:\n        owner: team-$ARGOCD_APP_NAME\n        raw: "${ARGOCD_APP_NAMESPACE}"\n', kustomization),
    );
    expect(forced.get('Deployment', 'web').metadata.annotations).toEqual({ owner: 'team-app', raw: 'dest' });
    const literal = await renderRepo(webApp('      commonAnnotations:\n        raw: "${ARGOCD_APP_NAME}"\n'));
    expect(literal.get('Deployment', 'web').metadata.annotations).toEqual({ raw: '${ARGOCD_APP_NAME}' });
  });
});

describe('Argo CD: the other kustomize edits', () => {
  it('kustomize.replicas is `kustomize edit set replicas` (K:179)', async () => {
    const r = await renderRepo(webApp('      replicas:\n        - name: web\n          count: 4\n'));
    expect((r.get('Deployment', 'web') as any).spec.replicas).toBe(4);
  });

  it('kustomize.images replaces the kustomization\'s entry of the same name (K:162 `edit set image`; E setimage.go RunSetImage), with ${ARGOCD_APP_NAME} substituted (K:165)', async () => {
    const kustomization = `${KUSTOMIZATION}resources:\n  - web.yaml\nimages:\n  - name: nginx\n    newName: registry.example.com/nginx\n    newTag: "1.0.0"\n`;
    const r = await renderRepo({ ...webApp('      images:\n        - nginx:2.0.0-${ARGOCD_APP_NAME}\n', kustomization), 'app/netpol.yaml': NETPOL });
    expect((r.get('Deployment', 'web') as any).spec.template.spec.containers[0].image).toBe('nginx:2.0.0-app');
  });

  it('kustomize.namespace is `kustomize edit set namespace` in the folder (K:245), and commonLabels values take ${ARGOCD_APP_NAME} (K:209)', async () => {
    const r = await renderRepo(webApp('      namespace: shop\n      commonLabels:\n        instance: ${ARGOCD_APP_NAME}\n'));
    const web = r.get('Deployment', 'web');
    expect([web.metadata.namespace, web.metadata.labels]).toEqual(['shop', { app: 'web', instance: 'app' }]);
  });
});

describe('Argo CD: ApplicationSet applications', () => {
  it('ARGOCD_APP_NAME is the generated Application\'s own name (R:1519 q.AppName), not the name the report shows', async () => {
    const r = await renderRepo({
      'clusters/c/set.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - env: dev
  template:
    metadata:
      name: 'web-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/fleet.git
        path: app
        kustomize:
          commonLabels:
            instance: \${ARGOCD_APP_NAME}
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{env}}'
`,
      'app/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - web.yaml\n`,
      'app/web.yaml': deployment('web', undefined),
    });
    const web = r.get('Deployment', 'web');
    expect([web.metadata.namespace, web.metadata.labels]).toEqual(['dev', { app: 'web', instance: 'web-dev' }]);
  });
});

describe('Argo CD: the destination namespace (S:321 DeduplicateTargetObjects)', () => {
  it('goes on namespaced objects that name none, never on cluster-scoped ones, which lose any namespace (S:334 SetNamespace(""))', async () => {
    const r = await renderRepo({
      'clusters/c/app.yaml': argoApplication('app'),
      'app/kustomization.yaml': `${KUSTOMIZATION}resources:\n  - objects.yaml\n`,
      'app/objects.yaml': [
        configMap('settings'),
        configMap('elsewhere', 'other'),
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dest\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: stray\nrules: []\n',
      ].join('---\n'),
    });
    expect(r.objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '(cluster)'}/${o.metadata.name}`)).toEqual([
      'Namespace (cluster)/dest',
      'ClusterRole (cluster)/reader',
      'ConfigMap other/elsewhere',
      'ConfigMap dest/settings',
    ]);
    // Argo CD places the namespaced object itself: no Flux-only finding
    expect(r.findings).toEqual([]);
  });
});

describe('Argo CD: directory sources (R:1836 getPotentiallyValidManifests)', () => {
  const files = {
    'app/top.yaml': configMap('top', 'team'),
    'app/sub/deep.yaml': configMap('deep', 'team'),
    'app/sub/skip.yaml': configMap('skip', 'team'),
    'app/notes.txt': 'not a manifest\n',
  };

  it('reads sub-folders only with directory.recurse (R:1847 `if path != appPath && !recurse { return filepath.SkipDir }`)', async () => {
    const flat = await renderRepo({ ...files, 'clusters/c/app.yaml': argoApplication('app') });
    expect(flat.objects.map((o) => o.metadata.name)).toEqual(['top']);
    const recursive = await renderRepo({ ...files, 'clusters/c/app.yaml': argoApplication('app', '    directory:\n      recurse: true\n') });
    expect(recursive.objects.map((o) => o.metadata.name).sort()).toEqual(['deep', 'skip', 'top']);
  });

  it('include and exclude are globs on the path below the source folder (R:1818, R:1822; gobwas glob, where * crosses /)', async () => {
    const r = await renderRepo({ ...files, 'clusters/c/app.yaml': argoApplication('app', "    directory:\n      recurse: true\n      include: '{top.yaml,sub/*}'\n      exclude: '*skip*'\n") });
    expect(r.objects.map((o) => o.metadata.name).sort()).toEqual(['deep', 'top']);
    expect([argoGlobMatch('*.yaml', 'a/b/c.yaml'), argoGlobMatch('{a,b}/*.yml', 'b/x.yml'), argoGlobMatch('sub/*', 'top.yaml')]).toEqual([true, true, false]);
  });
});

describe('Argo CD: what the checker does not emulate is skipped with the reason', () => {
  const skippedOf = (r: Awaited<ReturnType<typeof renderRepo>>) => r.cluster.skipped.filter((s) => s.name === ENTRY).map((s) => s.reason);

  it('kustomize.version: Argo CD builds with the kustomize.path.<version> binary of argocd-cm (R:1435-1439 KustomizeOptions.BinaryPath)', async () => {
    const r = await renderRepo(webApp('      version: v4.5.7\n'));
    expect(r.objects).toEqual([]);
    expect(skippedOf(r)).toEqual([
      'kustomize.version v4.5.7 makes Argo CD build with the binary argocd-cm names as kustomize.path.v4.5.7; the checker has only its own kustomize, so it does not guess that version\'s output',
    ]);
  });

  it('kubeVersion/apiVersions change nothing without helmCharts (K:353 parseKustomizeBuildOptions passes them to helm only), and skip the source with helmCharts', async () => {
    const plain = await renderRepo(webApp('      kubeVersion: "1.30"\n      apiVersions: [monitoring.coreos.com/v1]\n'));
    expect([plain.objects.length, skippedOf(plain)]).toEqual([2, []]);
    const withCharts = await renderRepo(webApp('      kubeVersion: "1.30"\n', `${KUSTOMIZATION}helmCharts:\n  - name: web\n    repo: https://charts.example.com\n    version: 1.0.0\n`));
    expect(skippedOf(withCharts)).toEqual([
      'kustomize.kubeVersion/apiVersions reach the helmCharts of this kustomization only through argocd-cm kustomize.buildOptions with --enable-helm, which the checker cannot read',
    ]);
  });

  it('a config management plugin source (R:1444 runConfigManagementPluginSidecars)', async () => {
    const r = await renderRepo({ ...webApp(''), 'clusters/c/app.yaml': argoApplication('app', '    plugin:\n      name: sops\n') });
    expect(skippedOf(r)).toEqual(["it is built by the config management plugin sops, whose generate command runs in Argo CD's plugin sidecar, not here"]);
  });

  it('.argocd-source.yaml parameter overrides in the folder (R:1545 mergeSourceParameters)', async () => {
    const r = await renderRepo({ ...webApp('      namePrefix: p-\n'), 'app/.argocd-source.yaml': 'kustomize:\n  namePrefix: q-\n' });
    expect(skippedOf(r)).toEqual([".argocd-source.yaml in the source folder overrides the Application's parameters (repository.go mergeSourceParameters), which the checker does not merge"]);
  });
});

describe('Argo CD: Env.Envsubst (pkg/apis/application/v1alpha1/types.go:155, os.Expand)', () => {
  it('expands $VAR and ${VAR} of the build environment only, $$ to $, unknown names to empty', () => {
    const env = { ARGOCD_APP_NAME: 'web', ARGOCD_APP_REVISION: 'abc1234def' };
    expect(argoEnvsubst('img:${ARGOCD_APP_REVISION}-$ARGOCD_APP_NAME $$HOME ${OTHER}| ${} $', env)).toBe('img:abc1234def-web $HOME |  $'); // os.Expand eats a bad `${}`
  });
});
