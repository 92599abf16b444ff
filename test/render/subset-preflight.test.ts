// Pre-render checks skip the full parse of a file the fast reader takes (tools/lib/render/rendered-yaml.ts). That is
// only sound if the reader never takes a file the full parser finds a problem in: pinned here on every YAML file of the
// repository, its fixtures (malformed ones included), the shared corpus, and hand-made near misses.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readsAsSubset } from '../../tools/lib/render/rendered-yaml.ts';
import { parseSource } from '../../tools/lib/core/yaml-source.ts';
import { preflight } from '../../tools/lib/render/preflight.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');

function yamlFilesUnder(dir: string, limit = 5000): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (out.length >= limit) return;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

const NEAR_MISSES: Record<string, string> = {
  'duplicate key': 'a: 1\nb: 2\na: 3\n',
  'duplicate nested key': 'spec:\n  x: 1\n  x: 2\n',
  tab: 'a:\n\tb: 1\n',
  'bad indentation': 'a:\n  b: 1\n c: 2\n',
  'two values on one line': 'a: b: c\n',
  'unclosed double quote': 'a: "open\n',
  'unclosed single quote': "a: 'open\n",
  'sequence under a scalar': 'a: 1\n  - b\n',
  'alias bomb': 'a: &a [x, x]\nb: &b [*a, *a]\n',
  'flow map with content': 'a: {b: 1, b: 2}\n',
  'directive': '%YAML 1.2\n---\na: 1\n',
  'document end marker': 'a: 1\n...\nb: 2\n',
  'key without value then text': 'a\nb: 1\n',
  'BOM': '\uFEFFa: 1\n',
  'comment lines': '# top\na: 1 # trailing\n# end\n',
};

describe('the fast reader takes only files the full parser finds no problem in', () => {
  it('hand-made near misses', () => {
    const taken: string[] = [];
    for (const [name, text] of Object.entries(NEAR_MISSES)) {
      if (readsAsSubset(text)) {
        taken.push(name);
        expect({ name, error: parseSource(text).error }).toEqual({ name, error: undefined });
      }
    }
    // the reader is not vacuous: clean block YAML is taken, broken YAML is not
    expect(readsAsSubset('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n')).toBe(true);
    expect(taken).not.toContain('duplicate key');
    expect(taken).not.toContain('tab');
  });

  it('every YAML file of the repository and its test fixtures', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
    let taken = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
      if (!readsAsSubset(text)) continue;
      taken++;
      expect({ file, error: parseSource(text).error }).toEqual({ file, error: undefined });
    }
    expect(taken).toBeGreaterThan(files.length / 2);
  });

  it.skipIf(!fs.existsSync(CORPUS))('every YAML file of ../shared/corpus (skipped where the corpus is absent)', () => {
    let taken = 0;
    const files = yamlFilesUnder(CORPUS);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (!readsAsSubset(text)) continue;
      taken++;
      expect({ file, error: parseSource(text).error }).toEqual({ file, error: undefined });
    }
    expect(taken).toBeGreaterThan(0);
  });

  it('preflight still reports a duplicate key in a file (the fast reader hands it to the full parser)', () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, '.tmp-subset-'));
    try {
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
      fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n');
      const rel = path.relative(REPO_ROOT, dir);
      expect(preflight(REPO_ROOT, dir, 'test').map((p) => `${p.location?.file}:${p.location?.line}`)).toEqual([`${rel}/cm.yaml:5`]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
