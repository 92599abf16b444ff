// The kustomizations that place objects in one namespace (`namespace: <ns>`), read from the repository with their
// lines: which resources and components each lists, and where a component line goes. Folders are the ones the
// rendered objects came from, so only kustomizations some cluster builds are read.
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceLocation } from '../core/types.ts';
import type { SourceReader } from '../core/locate.ts';
import { positionOf } from '../core/yaml-source.ts';
import { KUSTOMIZATION_FILES } from '../render/kustomization-files.ts';

export interface NamespaceKustomization {
  /** Repository-relative path of the kustomization file. */
  file: string;
  dir: string;
  namespace: string;
  /** Repository-relative paths of its resources and components, as written but resolved from its folder. */
  resources: string[];
  components: string[];
  /** Where a component line is added: the `components:` key, else the `resources:` key, else the first line. */
  componentsAt: SourceLocation;
  kind: string;
}

const resolve = (dir: string, entry: string) => path.posix.normalize(path.posix.join(dir, entry));

const stringsOf = (node: unknown): string[] =>
  isSeq(node) ? node.items.flatMap((item) => (isScalar(item) && typeof item.value === 'string' ? [item.value] : [])) : [];

/** The kustomization file of a repository-relative folder, parsed; undefined when there is none or it does not parse. */
export function readKustomization(read: SourceReader, dir: string): (Omit<NamespaceKustomization, 'namespace'> & { namespace?: string }) | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = dir === '.' || dir === '' ? name : `${dir}/${name}`;
    const source = read(file);
    if (!source) continue;
    const contents = source.documents[0]?.contents;
    if (source.error || !isMap(contents)) return undefined;
    const get = (key: string) => contents.items.find((pair) => isScalar(pair.key) && pair.key.value === key);
    const namespace = get('namespace')?.value;
    const kind = get('kind')?.value;
    const at = (get('components') ?? get('resources'))?.key as Node | undefined;
    const position = at ? positionOf(source, at) : { line: 1, column: 1 };
    return {
      file,
      dir,
      namespace: isScalar(namespace) && typeof namespace.value === 'string' ? namespace.value : undefined,
      resources: stringsOf(get('resources')?.value).map((r) => resolve(dir, r)),
      components: stringsOf(get('components')?.value).map((c) => resolve(dir, c)),
      componentsAt: { file, ...position },
      kind: isScalar(kind) && typeof kind.value === 'string' ? kind.value : 'Kustomization',
    };
  }
  return undefined;
}

/** Every kustomization with a `namespace:` among the given folders, by folder. */
export function namespaceKustomizations(read: SourceReader, dirs: Iterable<string>): Map<string, NamespaceKustomization> {
  const found = new Map<string, NamespaceKustomization>();
  for (const dir of new Set(dirs)) {
    const kustomization = readKustomization(read, dir);
    if (kustomization?.namespace && kustomization.kind === 'Kustomization') found.set(dir, kustomization as NamespaceKustomization);
  }
  return found;
}
