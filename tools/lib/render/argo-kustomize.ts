// How Argo CD's repo-server (v2.13.3, the version clusters/*/README.md installs) builds a git source, in one place:
//   argo-cd v2.13.3 util/kustomize/kustomize.go        (Build: `kustomize edit ...` in the folder, then `kustomize build`)
//   argo-cd v2.13.3 reposerver/repository/repository.go (GetAppSourceType, findManifests, getPotentiallyValidManifests, newEnv)
//   argo-cd v2.13.3 controller/state.go                 (DeduplicateTargetObjects: the destination namespace)
//   argo-cd v2.13.3 pkg/apis/application/v1alpha1/types.go (Env.Envsubst, ExplicitType)
//   kustomize v5.4.3 kustomize/commands/edit/...        (what each `kustomize edit` writes; Argo CD v2.13.3 ships 5.4.3)
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ArgoSourceBuild, K8sObject } from '../core/types.ts';
import { isClusterScoped } from '../core/graph.ts';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import { KUSTOMIZATION_FILES } from './kustomization-files.ts';
import { withLocateMetadata } from './flux-kustomization.ts';

/** What to build: a kustomization folder (after edits) or a generated list of a directory source's files. */
export type ArgoBuild =
  | { kind: 'build'; dir: string; args: string[] }
  | { kind: 'empty' }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; message: string };

/** newEnv: the build environment. ARGOCD_APP_NAMESPACE is the destination namespace (the manifest request's). */
export function argoEnvironment(argo: ArgoSourceBuild, revision: string | undefined): Record<string, string> {
  const rev = revision ?? '';
  return {
    ARGOCD_APP_NAME: argo.application,
    ARGOCD_APP_NAMESPACE: argo.destinationNamespace ?? '',
    ARGOCD_APP_REVISION: rev,
    ARGOCD_APP_REVISION_SHORT: rev.length > 7 ? rev.slice(0, 7) : rev,
    ARGOCD_APP_SOURCE_REPO_URL: String(argo.source.repoURL ?? ''),
    ARGOCD_APP_SOURCE_PATH: String(argo.source.path ?? ''),
    ARGOCD_APP_SOURCE_TARGET_REVISION: String(argo.source.targetRevision ?? ''),
  };
}

const isShellSpecial = (c: string) => '*#$@!?-0123456789'.includes(c) && c !== '';
const isAlphaNum = (c: string) => /^[_0-9a-zA-Z]$/.test(c);

/** Go's os.getShellName. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]) && s[2] === '}') return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isShellSpecial(s[0])) return [s[0], 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}

/** Env.Envsubst: os.Expand over the ARGOCD_APP_* variables only (`$$` is a `$`; any other name is empty). */
export function argoEnvsubst(text: string, env: Record<string, string>): string {
  let out = '';
  let i = 0;
  for (let j = 0; j < text.length; j++) {
    if (text[j] === '$' && j + 1 < text.length) {
      out += text.slice(i, j);
      const [name, width] = shellName(text.slice(j + 1));
      if (name === '' && width > 0) {
        /* invalid syntax: eaten, as os.Expand does */
      } else if (name === '') out += text[j];
      else out += name === '$' ? '$' : (env[name] ?? '');
      j += width;
      i = j + 1;
    }
  }
  return i === 0 && out === '' ? text : out + text.slice(i);
}

/** kustomize v5.4.3 api/internal/image/image.go Split: the tag is after the first `:` that follows the first `/`, the digest after `@`. */
export function splitImageName(imageName: string): { name: string; tag: string; digest: string } {
  const slash = imageName.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = imageName.slice(offset);
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: imageName, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += offset;
    return { name: imageName.slice(0, id), tag: '', digest: imageName.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += offset;
    ic += offset;
    return { name: imageName.slice(0, ic), tag: imageName.slice(ic + 1, id), digest: imageName.slice(id + 1) };
  }
  ic += offset;
  return { name: imageName.slice(0, ic), tag: imageName.slice(ic + 1), digest: '' };
}

const IMAGE_FORMAT_ERROR = `invalid format of image, use one of the following options:
- <image>=<newimage>:<newtag>
- <image>=<newimage>@<digest>
- <image>=<newimage>:<newtag>@<digest>
- <image>=<newimage>
- <image>:<newtag>
- <image>:<newtag>@<digest>
- <image>@<digest>`;

/** kustomize edit set image (setimage.go parse, imageArgParse): `name=newName:tag`, `name=newName@digest`, `name:tag`, `name@digest`. */
function parseImageArg(arg: string): Record<string, string> {
  const separator = arg.indexOf('=');
  const [key, value] = separator >= 0 ? [arg.slice(0, separator), arg.slice(separator + 1)] : ['', arg];
  const { name, tag, digest } = splitImageName(value);
  if (name === arg) throw new Error(IMAGE_FORMAT_ERROR);
  const image: Record<string, string> = key === '' ? { name } : { name: key, newName: name };
  if (tag) image.newTag = tag;
  if (digest) image.digest = digest;
  return image;
}

/** RunSetImage: an argument replaces the entry of its name (`*` keeps that entry's part); other entries stay whole (tagSuffix too). */
function setImages(k: Record<string, any>, args: string[]): void {
  const wanted = new Map<string, Record<string, string>>();
  for (const arg of args) {
    const image = parseImageArg(arg);
    wanted.set(image.name, image);
  }
  const preserve = (image: Record<string, string>, existing: Record<string, string> | undefined) => {
    const out: Record<string, string> = { name: image.name };
    for (const field of ['newName', 'newTag', 'digest']) {
      const value = image[field] === '*' ? (existing?.[field] ?? '') : image[field];
      if (value) out[field] = value;
    }
    return out;
  };
  const result = new Map<string, Record<string, string>>();
  for (const [name, image] of wanted) result.set(name, preserve(image, undefined));
  for (const existing of Array.isArray(k.images) ? k.images : []) {
    const override = wanted.get(existing?.name);
    result.set(existing?.name, override ? preserve(override, existing) : existing);
  }
  k.images = [...result.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** util.ConvertSliceToMap over Argo CD's `key:value` arguments (mapToEditAddArgs): split at the first `:`, one pair of double quotes trimmed. */
function editAddPairs(pairs: Record<string, string>, what: 'label' | 'annotation'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(pairs)) {
    const input = `${key}:${value}`;
    const c = input.indexOf(':');
    if (c === 0) throw new Error(`invalid ${what}: '${input}' (need k:v pair where v may be quoted)`);
    const raw = input.slice(c + 1);
    out[input.slice(0, c)] = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  }
  return out;
}

/** KustomizeReplica.GetIntCount (types.go): an int, or a string strconv.Atoi reads. */
function replicaCount(count: unknown): number {
  if (typeof count === 'number' && Number.isInteger(count)) return count;
  const text = String(count);
  if (typeof count === 'string' && /^[+-]?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  throw new Error(`expected integer value for count. Received: ${text}`);
}

function addMetadata(map: Record<string, string>, pairs: Record<string, string>, force: boolean, what: 'label' | 'annotation'): void {
  for (const [key, value] of Object.entries(pairs)) {
    if (key in map && !force) throw new Error(`${what} ${key} already in kustomization file`);
    map[key] = value;
  }
}

/** The Argo CD `kustomize.*` options the edits apply, in Build's order, to the parsed kustomization `k`. */
function applyEdits(k: Record<string, any>, options: Record<string, any>, env: Record<string, string>, dir: string): void {
  if (options.namePrefix) k.namePrefix = options.namePrefix;
  if (options.nameSuffix) k.nameSuffix = options.nameSuffix;
  if (Array.isArray(options.images) && options.images.length > 0) setImages(k, options.images.map((i: unknown) => argoEnvsubst(String(i), env)));
  if (Array.isArray(options.replicas) && options.replicas.length > 0) {
    const replicas = new Map<string, { name: string; count: number }>();
    for (const r of options.replicas) {
      const count = replicaCount(r?.count);
      const name = String(r?.name ?? '');
      // setreplicas.go parseReplicasArg: `name=count` must split into exactly two parts
      if (name.includes('=')) throw new Error('invalid format of replica, use the following format: <name>=<count>');
      replicas.set(name, { name, count });
    }
    for (const r of Array.isArray(k.replicas) ? k.replicas : []) if (!replicas.has(r?.name)) replicas.set(r.name, r);
    k.replicas = [...replicas.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  if (options.commonLabels && Object.keys(options.commonLabels).length > 0) {
    const substituted = Object.fromEntries(Object.entries(options.commonLabels).map(([key, value]) => [key, argoEnvsubst(String(value), env)]));
    const labels = editAddPairs(substituted, 'label');
    if (options.labelWithoutSelector) {
      // `edit add label --without-selector`: a new `labels` entry without selectors (and, by default, without templates)
      const pairs: Record<string, string> = {};
      addMetadata(pairs, labels, options.forceCommonLabels === true, 'label');
      (k.labels = Array.isArray(k.labels) ? k.labels : []).push({ pairs, includeSelectors: false });
    } else {
      // `edit add label`: commonLabels, which kustomize also writes into selectors and pod templates
      k.commonLabels = k.commonLabels && typeof k.commonLabels === 'object' ? k.commonLabels : {};
      addMetadata(k.commonLabels, labels, options.forceCommonLabels === true, 'label');
    }
  }
  if (options.commonAnnotations && Object.keys(options.commonAnnotations).length > 0) {
    const annotations = editAddPairs(
      Object.fromEntries(Object.entries(options.commonAnnotations).map(([key, value]) => [key, options.commonAnnotationsEnvsubst ? argoEnvsubst(String(value), env) : String(value)])),
      'annotation',
    );
    k.commonAnnotations = k.commonAnnotations && typeof k.commonAnnotations === 'object' ? k.commonAnnotations : {};
    addMetadata(k.commonAnnotations, annotations, options.forceCommonAnnotations === true, 'annotation');
  }
  if (options.namespace) k.namespace = options.namespace;
  if (Array.isArray(options.patches) && options.patches.length > 0) {
    if (!fs.existsSync(path.join(dir, 'kustomization.yaml'))) throw new Error('failed to load kustomization.yaml: open kustomization.yaml: no such file or directory');
    k.patches = [...(Array.isArray(k.patches) ? k.patches : []), ...options.patches];
  }
  if (Array.isArray(options.components) && options.components.length > 0) {
    const existing: string[] = (k.components = Array.isArray(k.components) ? k.components : []);
    for (const component of options.components) {
      if (!fs.existsSync(path.resolve(dir, component))) throw new Error(`${component} has no match: must build at directory: not a valid directory: evalsymlink failure on '${component}'`);
      if (!existing.includes(component)) existing.push(component); // "component ... already in kustomization file": skipped
    }
  }
}

/** The folders Argo CD's `components` add (for the work copy). */
export function argoComponentFolders(target: string, argo: ArgoSourceBuild): string[] {
  const components = argo.source.kustomize?.components;
  return Array.isArray(components) ? components.filter((c) => typeof c === 'string').map((c) => path.resolve(target, c)) : [];
}

/** gobwas/glob without separators, as util/glob.Match calls it: `*` also crosses `/`, `{a,b}` alternatives, `[...]` classes. */
export function argoGlobMatch(pattern: string, text: string): boolean {
  let source = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '{') {
      depth++;
      source += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      source += ')';
    } else if (c === ',' && depth > 0) source += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      const body = pattern.slice(i + 1, end);
      source += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
      i = end;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  if (depth !== 0) return false;
  return new RegExp(`^${source}$`, 's').test(text);
}

const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;

/** getPotentiallyValidManifests: the files of a directory source, sub-folders only with `recurse`, then include/exclude. */
export function argoDirectoryFiles(appPath: string, directory: Record<string, any>): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (directory.recurse === true) walk(full);
        continue;
      }
      if (!MANIFEST_FILE.test(entry.name)) continue;
      const relative = path.relative(appPath, full).split(path.sep).join('/');
      if (directory.exclude && argoGlobMatch(String(directory.exclude), relative)) continue;
      if (directory.include && !argoGlobMatch(String(directory.include), relative)) continue;
      out.push(full);
    }
  };
  walk(appPath);
  return out;
}

/** ExplicitType: the one of kustomize/helm/directory/plugin the source sets, or none. */
function explicitType(source: Record<string, any>): string | undefined {
  const types = (['Kustomize', 'Helm', 'Directory', 'Plugin'] as const).filter((t) => source[t.toLowerCase()] != null);
  if (types.length > 1) throw new Error(`multiple application sources defined: ${types.join(',')}`);
  return types[0];
}

/** The files in a source folder whose parameters the repo-server merges over the Application's (mergeSourceParameters). */
export function argoSourceOverrideFiles(application: string): string[] {
  return ['.argocd-source.yaml', `.argocd-source-${application}.yaml`];
}

/**
 * GetAppSourceType: the explicit type, else discovery.Discover on the folder itself, where a kustomization file wins over a
 * Chart.yaml beside it (both set apps["."], the kustomization last), and neither means Directory. A config management
 * plugin the sidecars discover on their own is not known here. Throws on more than one explicit type.
 */
export function argoSourceType(source: Record<string, any>, appPath: string): 'Kustomize' | 'Helm' | 'Directory' | 'Plugin' {
  const explicit = explicitType(source) as 'Kustomize' | 'Helm' | 'Directory' | 'Plugin' | undefined;
  if (explicit) return explicit;
  if (KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(appPath, f)))) return 'Kustomize';
  return fs.existsSync(path.join(appPath, 'Chart.yaml')) ? 'Helm' : 'Directory';
}

/**
 * Prepares `appPath` (inside a work copy whose root is `copyRoot`) as the repo-server would, and says what to build.
 * Options whose effect needs Argo CD's own configuration or code are a skip with the reason, never a guess.
 */
export function prepareArgoBuild(copyRoot: string, appPath: string, argo: ArgoSourceBuild, revision: string | undefined, annotate = true): ArgoBuild {
  const source = argo.source;
  for (const name of argoSourceOverrideFiles(argo.application)) {
    if (fs.existsSync(path.join(appPath, name))) {
      return { kind: 'skip', reason: `${name} in the source folder overrides the Application's parameters (repository.go mergeSourceParameters), which the checker does not merge` };
    }
  }
  let type: string;
  try {
    type = argoSourceType(source, appPath);
  } catch (error) {
    return { kind: 'fail', message: (error as Error).message };
  }
  const kustomizationFile = KUSTOMIZATION_FILES.map((f) => path.join(appPath, f)).find((f) => fs.existsSync(f));
  if (type === 'Plugin') {
    const name = source.plugin?.name ? ` ${source.plugin.name}` : '';
    return { kind: 'skip', reason: `it is built by the config management plugin${name}, whose generate command runs in Argo CD's plugin sidecar, not here` };
  }
  if (type === 'Helm') return { kind: 'skip', reason: 'source.helm is set but the folder has no Chart.yaml, so Argo CD has no chart to render' };
  if (type === 'Directory') return directoryBuild(copyRoot, appPath, source.directory ?? {}, annotate);

  const options: Record<string, any> = source.kustomize ?? {};
  if (options.version) {
    return { kind: 'skip', reason: `kustomize.version ${options.version} makes Argo CD build with the binary argocd-cm names as kustomize.path.${options.version}; the checker has only its own kustomize, so it does not guess that version's output` };
  }
  let k: Record<string, any> = {};
  if (kustomizationFile) {
    const parsed = parse(fs.readFileSync(kustomizationFile, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT });
    k = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  }
  if ((options.kubeVersion || (Array.isArray(options.apiVersions) && options.apiVersions.length > 0)) && Array.isArray(k.helmCharts) && k.helmCharts.length > 0) {
    // kustomize.go parseKustomizeBuildOptions passes them only as --helm-kube-version/--helm-api-versions, with helm enabled in argocd-cm's kustomize.buildOptions
    return { kind: 'skip', reason: 'kustomize.kubeVersion/apiVersions reach the helmCharts of this kustomization only through argocd-cm kustomize.buildOptions with --enable-helm, which the checker cannot read' };
  }
  const edits = ['namePrefix', 'nameSuffix', 'images', 'replicas', 'commonLabels', 'commonAnnotations', 'namespace', 'patches', 'components'].filter((key) => {
    const value = options[key];
    return Array.isArray(value) ? value.length > 0 : value && typeof value === 'object' ? Object.keys(value).length > 0 : Boolean(value);
  });
  if (!kustomizationFile) {
    if (edits.length > 0) return { kind: 'fail', message: `kustomize edit (for kustomize.${edits[0]}) failed: Missing kustomization file 'kustomization.yaml'.` };
    return { kind: 'build', dir: appPath, args: [] };
  }
  try {
    applyEdits(k, options, argoEnvironment(argo, revision), appPath);
  } catch (error) {
    return { kind: 'fail', message: `kustomize edit failed: ${(error as Error).message}` };
  }
  if (annotate) withLocateMetadata(k);
  fs.writeFileSync(kustomizationFile, stringify(k));
  // no --load-restrictor: `kustomize build <path>`, kustomize's default (LoadRestrictionsRootOnly) unless argocd-cm says otherwise
  return { kind: 'build', dir: appPath, args: [] };
}

/** A directory source has no kustomization: its files are read as they are, which a generated kustomization listing them reproduces. */
function directoryBuild(copyRoot: string, appPath: string, directory: Record<string, any>, annotate: boolean): ArgoBuild {
  const files = argoDirectoryFiles(appPath, directory);
  const jsonnet = files.find((f) => f.endsWith('.jsonnet'));
  if (jsonnet) return { kind: 'skip', reason: `${path.relative(appPath, jsonnet)} is evaluated by Argo CD's jsonnet VM, which the checker does not run` };
  if (files.length === 0) return { kind: 'empty' };
  const dir = fs.mkdtempSync(path.join(copyRoot, '.argocd-directory-'));
  const kustomization: Record<string, any> = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files.map((f) => path.relative(dir, f).split(path.sep).join('/')) };
  if (annotate) withLocateMetadata(kustomization);
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization));
  return { kind: 'build', dir, args: ['--load-restrictor', 'LoadRestrictionsNone'] };
}

/**
 * DeduplicateTargetObjects: a cluster-scoped object loses any namespace, a namespaced (or unknown) one without a
 * namespace gets the destination's. `crdScopes` holds the scopes of the custom resources the cluster defines.
 */
export function applyDestinationNamespace(objects: K8sObject[], destinationNamespace: string | undefined, crdScopes: Map<string, string>): void {
  for (const object of objects) {
    const metadata: unknown = object.metadata;
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) continue;
    if (isClusterScoped(object, crdScopes)) delete object.metadata.namespace;
    else if (!object.metadata.namespace && destinationNamespace) object.metadata.namespace = destinationNamespace;
  }
}
