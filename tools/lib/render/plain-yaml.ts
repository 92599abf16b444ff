// PATH mode on plain YAML (a file, or a folder of files without a kustomization): the objects are read as written,
// without kustomize. kustomize adds nothing here but cost, and its cost grows much faster than the input
// (5,000 small ConfigMaps in one file: 4.4 s at 1,000, 34 s at 2,500, 269 s at 5,000); reading is linear.
import fs from 'node:fs';
import path from 'node:path';
import type { EntryPoint, K8sObject, RenderProblem, RenderedObject } from '../core/types.ts';
import { MAX_ALIAS_COUNT, parseSource, type ParsedSource } from '../core/yaml-source.ts';
import type { SourceReader } from '../core/locate.ts';
import { hasKustomization, plainFolderResources } from './kustomization-files.ts';

export interface PlainYamlResult {
  objects: RenderedObject[];
  problems: RenderProblem[];
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** The YAML files a PATH argument names when none of it needs kustomize; undefined when some of it does. */
export function plainYamlFiles(target: string): string[] | undefined {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  if (hasKustomization(target)) return undefined;
  const resources = plainFolderResources(target);
  // a sub-folder with its own kustomization is built by kustomize: leave the whole folder to it
  if (resources.some((r) => fs.statSync(r).isDirectory())) return undefined;
  return resources;
}

/**
 * Objects of plain YAML files, as kustomize would give them: empty documents dropped, `kind: List` expanded,
 * a document that is not a map refused, the same object twice refused. Preflight has already parsed every file
 * (syntax, duplicate keys, aliases, size), so a file here parses.
 */
export function readPlainYaml(root: string, files: string[], entry: EntryPoint, parsed: Map<string, ParsedSource>, read?: SourceReader): PlainYamlResult {
  const objects: RenderedObject[] = [];
  const problems: RenderProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const relative = toPosix(path.relative(root, file));
    const source: ParsedSource = parsed.get(file) ?? ((!relative.startsWith('..') && read?.(relative)) || parseSource(fs.readFileSync(file, 'utf8')));
    for (const doc of source.documents) {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
      if (value === null || value === undefined) continue;
      const line = source.lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
      const at = { file: relative, line, column: 1 };
      if (typeof value !== 'object' || Array.isArray(value)) {
        problems.push({ entryPoint: entry.name, message: `${relative}:${line}: this document is ${Array.isArray(value) ? 'a list' : `the ${typeof value} ${JSON.stringify(value).slice(0, 40)}`}, not a Kubernetes object (a map with apiVersion, kind and metadata)`, location: at });
        continue;
      }
      const object = value as K8sObject;
      const items = object.kind === 'List' && Array.isArray((object as any).items) && typeof object.apiVersion === 'string' && object.apiVersion === 'v1' ? ((object as any).items as unknown[]) : [object];
      for (const item of items) {
        if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
        const candidate = item as K8sObject;
        const metadata = candidate.metadata && typeof candidate.metadata === 'object' ? candidate.metadata : undefined;
        const key = `${candidate.apiVersion}|${candidate.kind}|${metadata?.namespace ?? ''}|${metadata?.name}`;
        const earlier = seen.get(key);
        if (earlier && metadata?.name !== undefined) {
          problems.push({ entryPoint: entry.name, message: `${relative}:${line}: ${candidate.kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name} is already defined at ${earlier}; kubectl apply would keep only one of them`, location: at });
          continue;
        }
        seen.set(key, `${relative}:${line}`);
        objects.push({ object: candidate, origin: { file: relative, transformedBy: [] }, entryPoint: entry.name });
      }
    }
  }
  return { objects, problems };
}
