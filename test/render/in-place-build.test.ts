// An entry point whose reconciler edits nothing is built from the repository's own files: bare in its own folder,
// annotated through a one-line kustomization outside the repository. Only the reconciler's edits need a work copy.
// The objects, their origins and kustomize's errors are the same either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntryPoint } from '../../tools/lib/core/types.ts';
import { inPlaceBuild } from '../../tools/lib/render/in-place-build.ts';
import { findKustomize, forgetKustomize } from '../../tools/lib/render/kustomize.ts';
import { renderEntryPoint } from '../../tools/lib/render/render.ts';
import { runCheck } from '../../tools/lib/render/run-check.ts';
import { loadRules } from '../../tools/lib/render/load-rules.ts';
import { buildInputs, kustomizationValue, preflightInputs } from '../../tools/lib/render/preflight.ts';
import { copyFixture } from '../helpers/cli.ts';
import { writeTempRepo } from '../helpers/temp-repo.ts';

const tempRepo = (files: Record<string, string>) => writeTempRepo(files, 'in-place-');

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: nginx:1.27.0
`;

const entry = (p: string, extra: Partial<EntryPoint> = {}): EntryPoint => ({ cluster: 'c', engine: 'flux', name: `Kustomization flux-system/${p}`, path: p, flux: {}, ...extra });

describe('which builds need a work copy', () => {
  const root = tempRepo({
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': deployment('web'),
    'apps/sorted/kustomization.yaml': 'resources: [../web]\nsortOptions:\n  order: fifo\n',
    'apps/component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    'apps/plain/deployment.yaml': deployment('plain'),
    'apps/argo/kustomization.yaml': 'resources: [../web]\n',
    'apps/argo/.argocd-source.yaml': 'kustomize:\n  namePrefix: x-\n',
  });
  const target = (p: string) => path.join(root, p);

  it('none when Flux sets no option that edits the kustomization: bare in the folder itself, annotated through a wrapper in the temporary folder', () => {
    const bare = inPlaceBuild(entry('apps/web'), target('apps/web'), false)!;
    expect(bare).toMatchObject({ dir: target('apps/web'), args: ['--load-restrictor', 'LoadRestrictionsNone'] });
    const annotated = inPlaceBuild(entry('apps/web'), target('apps/web'), true)!;
    try {
      expect(annotated.dir.startsWith(os.tmpdir())).toBe(true);
      expect(fs.readFileSync(path.join(annotated.dir, 'kustomization.yaml'), 'utf8')).toBe(
        `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${path.relative(annotated.dir, target('apps/web'))}\nbuildMetadata:\n  - originAnnotations\n  - transformerAnnotations\n`,
      );
    } finally {
      annotated.remove();
    }
    expect(fs.existsSync(annotated.dir)).toBe(false);
  });

  it('a work copy for each Flux option Generator.WriteFile writes (kustomize_generator.go)', () => {
    for (const spec of [{ targetNamespace: 'x' }, { namePrefix: 'x-' }, { nameSuffix: '-x' }, { patches: [{ patch: 'x' }] }, { components: ['../c'] }, { images: [{ name: 'nginx', newTag: '1' }] }]) {
      expect(inPlaceBuild(entry('apps/web', { flux: spec }), target('apps/web'), false), JSON.stringify(spec)).toBeUndefined();
    }
    expect(inPlaceBuild(entry('apps/web', { flux: { images: [], patches: [] } }), target('apps/web'), false)).toBeDefined();
  });

  it('a work copy where a wrapper would change the meaning (top-level sortOptions), and for a Component', () => {
    expect(inPlaceBuild(entry('apps/sorted'), target('apps/sorted'), false)).toBeDefined();
    expect(inPlaceBuild(entry('apps/sorted'), target('apps/sorted'), true)).toBeUndefined();
    expect(inPlaceBuild(entry('apps/component'), target('apps/component'), false)).toBeUndefined();
  });

  it('a folder without a kustomization: its files listed from outside the repository as Flux lists them (scanManifests), unless Flux edits it', () => {
    const build = inPlaceBuild(entry('apps/plain'), target('apps/plain'), false)!;
    try {
      expect(build.args).toEqual(['--load-restrictor', 'LoadRestrictionsNone']);
      expect(fs.readFileSync(path.join(build.dir, 'kustomization.yaml'), 'utf8')).toBe(`apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${path.relative(build.dir, target('apps/plain/deployment.yaml'))}\n`);
    } finally {
      build.remove();
    }
    expect(inPlaceBuild(entry('apps/plain', { flux: { targetNamespace: 'x' } }), target('apps/plain'), false)).toBeUndefined();
  });

  it('Argo CD: in place only without kustomize options, other source types or .argocd-source files', () => {
    const argo = (source: Record<string, unknown>, p = 'apps/web'): EntryPoint => ({ cluster: 'c', engine: 'argocd', name: `Application argocd/${p}`, path: p, argo: { application: 'app', source, destinationNamespace: 'web' } as any });
    expect(inPlaceBuild(argo({ path: 'apps/web' }), target('apps/web'), false)).toMatchObject({ dir: target('apps/web'), args: [] });
    expect(inPlaceBuild(argo({ path: 'apps/web', kustomize: { namePrefix: 'x-' } }), target('apps/web'), false)).toBeUndefined();
    expect(inPlaceBuild(argo({ path: 'apps/web', directory: { recurse: true } }), target('apps/web'), false)).toBeUndefined();
    expect(inPlaceBuild(argo({ path: 'apps/argo' }, 'apps/argo'), target('apps/argo'), false)).toBeUndefined();
  });
});

const kustomize = await findKustomize().catch(() => undefined);

describe.skipIf(!kustomize)('in place and in a work copy, the same render', () => {
  const root = tempRepo({
    'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/web/deployment.yaml': deployment('web'),
    'overlays/dev/kustomization.yaml': 'namespace: dev\nnamePrefix: dev-\nresources: [../../apps/web]\npatches:\n  - path: replicas.yaml\n',
    'overlays/dev/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    'overlays/broken/kustomization.yaml': 'resources: [../../apps/missing]\n',
  });

  it('gives the same objects and origins (file, patch, name prefix) as a work copy with a no-op edit', async () => {
    const inPlace = await renderEntryPoint(root, entry('overlays/dev'), kustomize!, { annotate: true });
    // targetNamespace equal to the kustomization's own namespace changes nothing but forces the work copy
    const copied = await renderEntryPoint(root, entry('overlays/dev', { flux: { targetNamespace: 'dev' } }), kustomize!, { annotate: true });
    expect(inPlace.problems).toEqual([]);
    expect(inPlace.objects.map((o) => [o.object, o.origin])).toEqual(copied.objects.map((o) => [o.object, o.origin]));
    expect(inPlace.objects[0].origin).toEqual({ file: 'apps/web/deployment.yaml', transformedBy: ['overlays/dev/kustomization.yaml'], namePrefixes: ['dev-'] });
    expect(inPlace.annotated).toBe(true);
  });

  it('a build that fails is reported as from a work copy: repository paths, no temporary folder, the same message with or without annotations', async () => {
    const bare = await renderEntryPoint(root, entry('overlays/broken'), kustomize!, { annotate: false });
    const annotated = await renderEntryPoint(root, entry('overlays/broken'), kustomize!, { annotate: true });
    expect(bare.objects).toEqual([]);
    expect(bare.problems).toHaveLength(1);
    const message = bare.problems[0].message;
    expect(message).toContain('apps/missing');
    expect(message).not.toContain(os.tmpdir());
    expect(message).not.toContain(path.basename(root));
    // the annotating wrapper's own layer ("recursed accumulation of path ...") never reaches the user
    expect(annotated.problems).toEqual(bare.problems);
  });
});

describe.skipIf(!kustomize)('a run of the fixture repository', () => {
  let log = '';
  let previous: string | undefined;
  beforeEach(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'in-place-log-'));
    log = path.join(dir, 'builds.log');
    const wrapper = path.join(dir, 'kustomize');
    fs.writeFileSync(wrapper, `#!/bin/sh\nif [ "$1" = version ]; then echo v5; exit 0; fi\nfirst=$(grep -A1 '^resources:' "$2/kustomization.yaml" 2>/dev/null | tail -1 | sed 's/^ *- //')\necho "$2 $first" >> ${log}\nshift\nexec kubectl kustomize "$@"\n`, { mode: 0o755 });
    previous = process.env.KUSTOMIZE;
    process.env.KUSTOMIZE = wrapper;
    forgetKustomize();
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.KUSTOMIZE;
    else process.env.KUSTOMIZE = previous;
    forgetKustomize();
  });

  it('copies only what a reconciler edits: Flux targetNamespace on apps/api; the cluster folder (no kustomization) and overlays/dev build from the repository', async () => {
    const root = copyFixture('engine-repo');
    const rules = (await loadRules()).filter((r) => r.id === 'rbac/no-wildcards');
    await runCheck({ root, clusters: ['flux-dev'], rules, renderCache: false });
    const built = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => {
      const [dir, first] = line.split(' ');
      if (dir.startsWith(root + path.sep)) return `in place ${path.relative(root, dir)}`;
      if (path.basename(dir).startsWith('policy-check-wrap-')) return `wrapper of ${path.relative(root, path.resolve(dir, first))}`;
      return `work copy ${dir.split(path.sep).slice(3).join('/')}`;
    });
    expect(built.sort()).toEqual(['in place overlays/dev', 'work copy apps/api', 'wrapper of clusters/flux-dev/sync.yaml']);
  }, 60_000);
});

describe('which renders need origin annotations at once', () => {
  it('a file that declares a Flux or Argo CD object does; an annotation key of theirs does not (argocd.argoproj.io/sync-wave)', () => {
    const root = tempRepo({
      'a/kustomization.yaml': 'resources: [job.yaml]\n',
      'a/job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\n    kustomize.toolkit.fluxcd.io/force: enabled\n',
      'b/kustomization.yaml': 'resources: [release.yaml]\n',
      'b/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: r\n',
      'c/kustomization.yaml': 'resources: [app.yaml]\n',
      'c/app.yaml': '{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"}}\n',
    });
    expect(preflightInputs(root, path.join(root, 'a'), 'a').mentionsReconcilers).toBe(false);
    expect(preflightInputs(root, path.join(root, 'b'), 'b').mentionsReconcilers).toBe(true);
    expect(preflightInputs(root, path.join(root, 'c'), 'c').mentionsReconcilers).toBe(true);
  });
});

describe('the files a build reads, from a kustomization\'s plain data', () => {
  it('are the files the parse with positions gives, for every kustomization folder of this repository and its test fixtures', () => {
    const ROOT = path.resolve(import.meta.dirname, '../..');
    const folders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name === '.git' || entry.name === 'dist') continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name === 'kustomization.yaml') folders.push(dir);
      }
    };
    for (const top of ['apps', 'overlays', 'components', 'clusters', 'infrastructure', 'test/fixtures']) walk(path.join(ROOT, top));
    expect(folders.length).toBeGreaterThan(40);
    // the plain data is what is compared: the fast reader takes nearly all of them
    expect(folders.filter((folder) => kustomizationValue(path.join(folder, 'kustomization.yaml')) !== undefined).length).toBeGreaterThan(folders.length - 5);
    for (const folder of folders) {
      const fast = buildInputs(folder, { root: ROOT });
      const reference = buildInputs(folder, { root: ROOT, plainData: false });
      expect(fast, path.relative(ROOT, folder)).toEqual(reference);
    }
  });
});
