// How Flux's kustomize-controller (v1.4.0, Flux v2.4.0) builds a Kustomization, in one place. Sources:
//   fluxcd/pkg kustomize/v1.13.0 kustomize/kustomize_generator.go  (Generator.WriteFile, generateKustomization, scanManifests, Build)
//   fluxcd/pkg kustomize/v1.13.0 kustomize/kustomize_varsub.go     (SubstituteVariables, varSubstitution)
//   fluxcd/pkg envsubst/v1.1.0                                     (the substitution language: ./envsubst.ts)
//   fluxcd/pkg ssa/v0.41.1 ssa/utils/meta.go                       (SetCommonMetadata)
//   fluxcd/kustomize-controller v1.4.0 internal/controller/kustomization_controller.go (build, apply)
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { K8sObject } from '../core/types.ts';
import { MAX_ALIAS_COUNT } from '../core/yaml-source.ts';
import { KUSTOMIZATION_FILES, hasKustomization } from './kustomization-files.ts';
import { envsubst, EnvsubstError } from './envsubst.ts';

export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

/** kustomize_generator.go Build: `LoadRestrictions: kustypes.LoadRestrictionsNone` (plugins stay disabled, as in kustomize's default). */
export const FLUX_BUILD_ARGS = ['--load-restrictor', 'LoadRestrictionsNone'];

/** The annotations locate needs; kustomize adds them only when the top kustomization asks. Stripped after the build. */
export const LOCATE_BUILD_METADATA = ['originAnnotations', 'transformerAnnotations'];

export function withLocateMetadata(kustomization: Record<string, any>): void {
  const existing: unknown[] = Array.isArray(kustomization.buildMetadata) ? kustomization.buildMetadata : [];
  kustomization.buildMetadata = [...existing, ...LOCATE_BUILD_METADATA.filter((m) => !existing.includes(m))];
}

/**
 * scanManifests: every .yaml/.yml file below the folder, in filepath.Walk's lexical order, and each sub-folder that
 * holds a kustomization as one resource (not descended into). Nothing is skipped for a leading dot: the Flux artifact
 * already lacks `.git` (source-controller's default ignore), and so does this walk.
 */
export function fluxScanManifests(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name === '.git') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (hasKustomization(full)) out.push(full);
        else walk(full);
      } else if (path.extname(entry.name) === '.yaml' || path.extname(entry.name) === '.yml') {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.map((file) => `.${file.slice(dir.length).split(path.sep).join('/')}`);
}

/** IsLocalRelativePath, kustomize_generator.go: components must be local and relative. */
function isLocalRelativePath(p: string): boolean {
  const lower = p.toLowerCase();
  for (const prefix of ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/']) {
    if (prefix.length < p.length && lower.startsWith(prefix)) return false;
  }
  return !path.isAbsolute(p) && !path.isAbsolute(lower.replace(/^file:\/\//, ''));
}

/** adaptSelector: Flux's patch target, in kustomize's selector fields (empty ones left out, as omitempty does). */
function adaptSelector(target: any): Record<string, string> | undefined {
  if (!target || typeof target !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']) {
    if (typeof target[key] === 'string' && target[key] !== '') out[key] = target[key];
  }
  return out;
}

/** The spec fields Generator.WriteFile writes into the folder's kustomization: without them Flux builds it as it is. */
export const FLUX_KUSTOMIZATION_EDITS = ['targetNamespace', 'namePrefix', 'nameSuffix', 'patches', 'components', 'images'];

/**
 * Generator.WriteFile, on `dir` (a copy): generates a kustomization listing the folder's manifests when there is
 * none, then sets namespace (targetNamespace), namePrefix, nameSuffix, appends patches and components, and puts each
 * image in place of an existing entry of the same name, or after them. Throws with Flux's message where Flux fails.
 */
export function writeFluxKustomization(dir: string, spec: Record<string, any>, annotate = true): void {
  let file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  let kustomization: Record<string, any>;
  if (!file) {
    file = path.join(dir, 'kustomization.yaml');
    const resources = fluxScanManifests(dir);
    kustomization = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
    // an empty folder: "set a placeholder namespace to avoid 'kustomization.yaml is empty' build error"
    if (resources.length === 0) kustomization.namespace = '_placeholder';
    else kustomization.resources = resources;
  } else {
    const parsed = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: MAX_ALIAS_COUNT });
    kustomization = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  }
  if (typeof spec.targetNamespace === 'string') kustomization.namespace = spec.targetNamespace;
  if (typeof spec.namePrefix === 'string') kustomization.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === 'string') kustomization.nameSuffix = spec.nameSuffix;
  for (const patch of Array.isArray(spec.patches) ? spec.patches : []) {
    const entry: Record<string, unknown> = {};
    if (typeof patch?.patch === 'string' && patch.patch !== '') entry.patch = patch.patch;
    const target = adaptSelector(patch?.target);
    if (target) entry.target = target;
    (kustomization.patches = Array.isArray(kustomization.patches) ? kustomization.patches : []).push(entry);
  }
  for (const component of Array.isArray(spec.components) ? spec.components : []) {
    if (!isLocalRelativePath(String(component))) throw new Error(`component path '${component}' must be local and relative`);
    (kustomization.components = Array.isArray(kustomization.components) ? kustomization.components : []).push(component);
  }
  for (const image of Array.isArray(spec.images) ? spec.images : []) {
    const entry: Record<string, string> = {};
    for (const key of ['name', 'newName', 'newTag', 'digest']) if (typeof image?.[key] === 'string' && image[key] !== '') entry[key] = image[key];
    const images: any[] = (kustomization.images = Array.isArray(kustomization.images) ? kustomization.images : []);
    const existing = images.findIndex((i) => i?.name === (image?.name ?? ''));
    if (existing >= 0) images[existing] = entry;
    else images.push(entry);
  }
  if (annotate) withLocateMetadata(kustomization);
  fs.writeFileSync(file, stringify(kustomization));
}

/** The names of the components the Kustomization adds, as folders (for the work copy). */
export function fluxComponentFolders(target: string, spec: Record<string, any>): string[] {
  return (Array.isArray(spec.components) ? spec.components : []).filter((c: unknown) => typeof c === 'string' && isLocalRelativePath(c)).map((c: string) => path.resolve(target, c));
}

/** varSubstitution's text step, in the controller's default non-strict mode: an undefined variable is empty. Throws EnvsubstError. */
export function substituteVariables(text: string, variables: Record<string, string>): string {
  return envsubst(text, (name) => ({ value: Object.hasOwn(variables, name) ? variables[name] : '', exists: true }));
}

const VAR_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/; // varsubRegex "^[_[:alpha:]][_[:alpha:][:digit:]]*$" (POSIX classes: ASCII)

export type PostBuildResult = { ok: true; object: K8sObject; text: string } | { ok: false; message: string };

/**
 * SubstituteVariables for one rendered object (its YAML text, as kustomize wrote it). Skipped when the object's
 * label or annotation `kustomize.toolkit.fluxcd.io/substitute` is `disabled`, and when no variable is defined at all
 * (`if len(vars) > 0`): then `${HOME}` stays as written. Otherwise every `${...}` is evaluated, an undefined
 * variable as empty (the controller's default, non-strict mode). An error fails the whole Kustomization.
 */
export function fluxSubstitute(object: K8sObject, text: string, variables: Record<string, string>): PostBuildResult {
  const labels: any = object.metadata?.labels ?? {};
  const annotations: any = object.metadata?.annotations ?? {};
  if (labels[SUBSTITUTE_ANNOTATION] === 'disabled' || annotations[SUBSTITUTE_ANNOTATION] === 'disabled') return { ok: true, object, text };
  const vars = new Map(Object.entries(variables).map(([k, v]) => [k, String(v).replaceAll('\n', '')]));
  if (vars.size === 0) return { ok: true, object, text };
  const name = String(object.metadata?.name ?? '');
  for (const key of vars.keys()) {
    if (!VAR_NAME.test(key)) return { ok: false, message: `post build failed for '${name}': envsubst error: '${key}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'` };
  }
  let substituted: string;
  try {
    substituted = substituteVariables(text, Object.fromEntries(vars));
  } catch (error) {
    if (!(error instanceof EnvsubstError)) throw error;
    return { ok: false, message: `post build failed for '${name}': envsubst error: variable substitution failed: ${error.message}` };
  }
  if (substituted === text) return { ok: true, object, text };
  try {
    const value = parse(substituted, { maxAliasCount: MAX_ALIAS_COUNT });
    if (!value || typeof value !== 'object') throw new Error('the result is not an object');
    return { ok: true, object: value as K8sObject, text: substituted };
  } catch (error) {
    return { ok: false, message: `post build failed for '${name}': envsubst error: YAMLToJSON: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** SetCommonMetadata, at apply time: labels and annotations of the object's own metadata only, overriding existing keys. */
export function applyCommonMetadata(object: K8sObject, spec: Record<string, any> | undefined): void {
  const common = spec?.commonMetadata;
  if (!common || typeof common !== 'object') return;
  object.metadata ??= {} as K8sObject['metadata'];
  const labels = { ...(object.metadata.labels ?? {}), ...(common.labels ?? {}) };
  if (Object.keys(labels).length > 0) object.metadata.labels = labels;
  const annotations = { ...(object.metadata.annotations ?? {}), ...(common.annotations ?? {}) };
  if (Object.keys(annotations).length > 0) object.metadata.annotations = annotations;
}
