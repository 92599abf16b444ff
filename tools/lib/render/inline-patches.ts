// Patches written inline in a kustomization (`patches: - patch: |`) are YAML inside a string: our parse of the
// kustomization never expands them, but kustomize does. Each is parsed here with the same alias budget and syntax
// checks as a file, and a problem is placed at its line in the kustomization.
import { isMap, isScalar, isSeq, Scalar, type Node } from 'yaml';
import { parseSource, type ParsedSource } from '../core/yaml-source.ts';

export interface InlinePatchProblem {
  message: string;
  line: number;
  column: number;
}

/** Where an inline patch's text starts in its file, for mapping the patch's own line numbers back. */
interface InlinePatch {
  text: string;
  field: string;
  /** The file line of the patch's first line. */
  firstLine: number;
  /** The column of a one-line patch; a block scalar's own columns are shifted by its indentation, so 1. */
  column: number;
}

function inlinePatchAt(source: ParsedSource, node: Node | null | undefined, field: string): InlinePatch | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const start = source.lineCounter.linePos(node.range?.[0] ?? 0);
  // a block scalar's text begins on the line after its `|` or `>` header
  const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  return { text: node.value, field, firstLine: block ? start.line + 1 : start.line, column: block ? 1 : start.col };
}

/** The inline patches of a parsed kustomization: patches[].patch, patchesJson6902[].patch, and patchesStrategicMerge strings holding YAML. */
export function inlinePatches(source: ParsedSource): InlinePatch[] {
  const patches: InlinePatch[] = [];
  for (const doc of source.documents) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    for (const field of ['patches', 'patchesJson6902']) {
      const list = root.get(field, true);
      if (!isSeq(list)) continue;
      list.items.forEach((item, index) => {
        if (!isMap(item)) return;
        const found = inlinePatchAt(source, item.get('patch', true) as Node | undefined, `${field}[${index}].patch`);
        if (found) patches.push(found);
      });
    }
    const strategic = root.get('patchesStrategicMerge', true);
    if (isSeq(strategic)) {
      strategic.items.forEach((item, index) => {
        // a file name has no newline; kustomize reads an entry with one as the patch itself
        if (isScalar(item) && typeof item.value === 'string' && item.value.includes('\n')) {
          const found = inlinePatchAt(source, item as Node, `patchesStrategicMerge[${index}]`);
          if (found) patches.push(found);
        }
      });
    }
  }
  return patches;
}

/** The first problem of each inline patch (an alias bomb, broken YAML, a duplicate key), at its file line. */
export function inlinePatchProblems(source: ParsedSource): InlinePatchProblem[] {
  const problems: InlinePatchProblem[] = [];
  for (const patch of inlinePatches(source)) {
    const parsed = parseSource(patch.text);
    if (!parsed.error) continue;
    problems.push({
      message: `inline patch ${patch.field}: ${parsed.error.message}`,
      // an error at the end of the text (an unclosed bracket) stays on the patch's last line, not the key after it
      line: patch.firstLine + Math.min(parsed.error.line, patch.text.replace(/\n+$/, '').split('\n').length) - 1,
      column: patch.column,
    });
  }
  return problems;
}

/** The same check for patches an entry point adds itself (a Flux Kustomization's spec.patches, an Argo CD Application's kustomize.patches). */
export function overridePatchProblems(patches: unknown[] | undefined): string[] {
  const problems: string[] = [];
  (patches ?? []).forEach((patch, index) => {
    const text = (patch as { patch?: unknown } | null)?.patch;
    if (typeof text !== 'string') return;
    const parsed = parseSource(text);
    if (parsed.error) problems.push(`inline patch patches[${index}].patch, line ${parsed.error.line}: ${parsed.error.message}`);
  });
  return problems;
}
