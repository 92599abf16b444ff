import fs from 'node:fs';
import path from 'node:path';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((f) => fs.existsSync(path.join(dir, f)));
}

/**
 * What a folder without a kustomization contributes, as Flux's generated kustomization takes it: every YAML
 * file below it, and each sub-folder that has a kustomization as one resource.
 */
export function plainFolderResources(dir: string, maxDepth = 10): string[] {
  const out: string[] = [];
  const walk = (current: string, depth: number) => {
    if (depth > maxDepth) return;
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (hasKustomization(full)) out.push(full);
        else walk(full, depth + 1);
      } else if (/\.ya?ml$/.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(dir, 0);
  return out;
}
