// The Argo CD edits tools/lib/render/argo-kustomize.ts writes, compared with the real `kustomize edit` commands Argo CD
// v2.13.3 runs (util/kustomize/kustomize.go Build, K:140-321), with the kustomize it ships (v5.4.3, hack/tool-versions.sh).
// Each case is built twice by that same binary: once after the emulated edits, once after the real ones; the two builds
// (or the two errors) must be the same. Build the binary outside the repository and point ARGOCD_KUSTOMIZE at it:
//   GOBIN=/tmp/argocd-kustomize go install sigs.k8s.io/kustomize/kustomize/v5@v5.4.3
//   ARGOCD_KUSTOMIZE=/tmp/argocd-kustomize/kustomize npx vitest run test/render/argo-kustomize-edit.test.ts
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareArgoBuild } from '../../tools/lib/render/argo-kustomize.ts';
import { KUSTOMIZATION, configMap, deployment } from '../helpers/reconciler-repo.ts';

const binary = process.env.ARGOCD_KUSTOMIZE;
const available = Boolean(binary && fs.existsSync(binary) && spawnSync(binary, ['version']).status === 0);
if (!available) {
  console.warn('argo-kustomize-edit.test.ts skipped: set ARGOCD_KUSTOMIZE to a kustomize v5.4.3 binary (go install sigs.k8s.io/kustomize/kustomize/v5@v5.4.3) to compare with the real `kustomize edit`');
}

type Options = Record<string, any>;

/** K:140-321: the commands Build runs, in its order, for the options these cases use (no ${ARGOCD_APP_*} in them). */
function argoEditCommands(o: Options): string[][] {
  const commands: string[][] = [];
  if (o.namePrefix) commands.push(['edit', 'set', 'nameprefix', '--', o.namePrefix]);
  if (o.nameSuffix) commands.push(['edit', 'set', 'namesuffix', '--', o.nameSuffix]);
  if (o.images?.length) commands.push(['edit', 'set', 'image', ...o.images]);
  if (o.replicas?.length) commands.push(['edit', 'set', 'replicas', ...o.replicas.map((r: any) => `${r.name}=${r.count}`)]);
  if (o.commonLabels && Object.keys(o.commonLabels).length > 0) {
    commands.push(['edit', 'add', 'label', ...(o.forceCommonLabels ? ['--force'] : []), ...(o.labelWithoutSelector ? ['--without-selector'] : []), ...Object.entries(o.commonLabels).map(([k, v]) => `${k}:${v}`)]);
  }
  if (o.commonAnnotations && Object.keys(o.commonAnnotations).length > 0) {
    commands.push(['edit', 'add', 'annotation', ...(o.forceCommonAnnotations ? ['--force'] : []), ...Object.entries(o.commonAnnotations).map(([k, v]) => `${k}:${v}`)]);
  }
  if (o.namespace) commands.push(['edit', 'set', 'namespace', '--', o.namespace]);
  if (o.components?.length) commands.push(['edit', 'add', 'component', ...o.components]);
  return commands;
}

function writeFolder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'argo-edit-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

type Outcome = { output: string } | { error: string };

function build(dir: string): Outcome {
  const built = spawnSync(binary!, ['build', dir], { encoding: 'utf8' });
  return built.status === 0 ? { output: built.stdout } : { error: `build: ${built.stderr.split('\n')[0]}` };
}

function emulated(files: Record<string, string>, kustomize: Options): Outcome {
  const root = writeFolder(files);
  try {
    const plan = prepareArgoBuild(root, path.join(root, 'app'), { application: 'app', source: { repoURL: 'https://github.com/example/fleet.git', path: 'app', targetRevision: 'main', kustomize }, destinationNamespace: 'dest' }, undefined, false);
    if (plan.kind === 'fail') return { error: plan.message.replace(/^kustomize edit (\(for [^)]*\) )?failed: /, '') };
    if (plan.kind !== 'build') throw new Error(`unexpected plan ${plan.kind}`);
    return build(plan.dir);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function real(files: Record<string, string>, kustomize: Options): Outcome {
  const root = writeFolder(files);
  try {
    for (const command of argoEditCommands(kustomize)) {
      const ran = spawnSync(binary!, command, { cwd: path.join(root, 'app'), encoding: 'utf8' });
      if (ran.status !== 0) return { error: ran.stderr.split('\n')[0].replace(/^Error: /, '') };
    }
    return build(path.join(root, 'app'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const RESOURCES = {
  'app/web.yaml': deployment('web', 'old'),
  'app/side.yaml': deployment('side', undefined, 'registry.example.com/busybox:1.35'),
  'app/settings.yaml': configMap('settings'),
  'components/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n',
  'components/extra/extra.yaml': configMap('extra'),
};
const app = (kustomization: string) => ({ ...RESOURCES, 'app/kustomization.yaml': `${KUSTOMIZATION}${kustomization}resources:\n  - web.yaml\n  - side.yaml\n  - settings.yaml\n` });

const CASES: { name: string; files: Record<string, string>; kustomize: Options }[] = [
  { name: 'namePrefix, nameSuffix and namespace over the kustomization\'s own', files: app('namePrefix: a-\nnamespace: team\n'), kustomize: { namePrefix: 'p-', nameSuffix: '-s', namespace: 'shop' } },
  {
    name: 'images: replace an entry (`*` keeps a part), keep the others whole (tagSuffix), add new ones with a digest',
    files: app('images:\n  - name: nginx\n    newName: registry.example.com/nginx\n    newTag: "1.0"\n  - name: registry.example.com/busybox\n    tagSuffix: -debug\n'),
    kustomize: { images: ['nginx=*:2.0', 'redis:7@sha256:0123', 'localhost:5000/a/b:1'] },
  },
  { name: 'replicas: replace an entry of the same name, keep the others', files: app('replicas:\n  - name: side\n    count: 5\n  - name: web\n    count: 2\n'), kustomize: { replicas: [{ name: 'web', count: '4' }] } },
  { name: 'commonLabels beside existing ones; double-quoted values lose the quotes', files: app('commonLabels:\n  app.kubernetes.io/part-of: shop\n'), kustomize: { commonLabels: { team: '"shop"', tier: "'web'", empty: '' } } },
  { name: 'commonLabels on a key the kustomization has: an error', files: app('commonLabels:\n  team: old\n'), kustomize: { commonLabels: { team: 'shop' } } },
  { name: 'forceCommonLabels replaces it', files: app('commonLabels:\n  team: old\n'), kustomize: { commonLabels: { team: 'shop' }, forceCommonLabels: true } },
  { name: 'labelWithoutSelector: a new labels entry, no conflict with commonLabels', files: app('commonLabels:\n  team: old\nlabels:\n  - pairs:\n      a: b\n    includeSelectors: true\n'), kustomize: { commonLabels: { team: 'shop', extra: 'x' }, labelWithoutSelector: true } },
  { name: 'commonAnnotations on an existing key: an error', files: app('commonAnnotations:\n  owner: old\n'), kustomize: { commonAnnotations: { owner: 'shop' } } },
  { name: 'forceCommonAnnotations replaces it', files: app('commonAnnotations:\n  owner: old\n'), kustomize: { commonAnnotations: { owner: 'shop', note: '"a b"' }, forceCommonAnnotations: true } },
  { name: 'components: added once, a listed one not twice', files: app('components:\n  - ../components/extra\n'), kustomize: { components: ['../components/extra'] } },
  { name: 'every edit at once, in Build\'s order', files: app('namespace: team\n'), kustomize: { namePrefix: 'p-', images: ['nginx:1.28'], replicas: [{ name: 'web', count: 2 }], commonLabels: { team: 'shop' }, commonAnnotations: { owner: 'me' }, namespace: 'shop', components: ['../components/extra'] } },
  {
    name: 'a kustomization.yml is the file edited',
    files: { ...RESOURCES, 'app/kustomization.yml': `${KUSTOMIZATION}resources:\n  - settings.yaml\n` },
    kustomize: { namePrefix: 'p-', commonLabels: { team: 'shop' } },
  },
];

describe.skipIf(!available)('Argo CD kustomize edits: the emulation against the real `kustomize edit` of kustomize v5.4.3', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const want = real(c.files, c.kustomize);
      expect(emulated(c.files, c.kustomize)).toEqual(want);
    });
  }

  it('the cases are not vacuous: the real edits change each build, and two of them fail', () => {
    const unchanged = CASES.filter((c) => JSON.stringify(real(c.files, c.kustomize)) === JSON.stringify(real(c.files, {})));
    expect(unchanged.map((c) => c.name)).toEqual(['components: added once, a listed one not twice']);
    expect(CASES.filter((c) => 'error' in real(c.files, c.kustomize)).map((c) => c.name)).toEqual(['commonLabels on a key the kustomization has: an error', 'commonAnnotations on an existing key: an error']);
  });
});
