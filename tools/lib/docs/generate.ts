// Which files `npm run docs` writes, and what they must contain: the drift test compares exactly this with the disk.
import fs from 'node:fs';
import path from 'node:path';
import { loadRules } from '../render/load-rules.ts';
import { BUILTIN_RULES } from '../core/builtin-rules.ts';
import { README_TABLE_END, README_TABLE_START, RULE_DOCS_DIR, readmeTable, replaceBetween, ruleDocPath, rulePage, rulesIndex } from './rule-docs.ts';

/** Repository-relative path -> generated content. */
export async function generatedDocs(root: string): Promise<Map<string, string>> {
  const rules = await loadRules();
  const files = new Map<string, string>();
  for (const rule of rules) {
    const source = `policies/${rule.id.replace('/', '-')}.ts`;
    const guide = `docs/policies/${rule.id.split('/')[0]}.md`;
    files.set(ruleDocPath(rule.id), rulePage(rule, fs.existsSync(path.join(root, source)) ? source : 'policies/', fs.existsSync(path.join(root, guide)) ? guide : undefined));
  }
  for (const builtin of BUILTIN_RULES) files.set(ruleDocPath(builtin.id), rulePage(builtin, 'tools/lib/core/builtin-rules.ts'));
  files.set(`${RULE_DOCS_DIR}/README.md`, rulesIndex(rules, BUILTIN_RULES));
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  files.set('README.md', replaceBetween(readme, README_TABLE_START, README_TABLE_END, readmeTable(rules)));
  return files;
}

/** Generated files whose content on disk differs (or that are missing), and pages in docs/rules/ nothing generates. */
export async function docsDrift(root: string): Promise<{ stale: string[]; orphaned: string[] }> {
  const files = await generatedDocs(root);
  const stale = [...files].filter(([file, content]) => {
    const absolute = path.join(root, file);
    return !fs.existsSync(absolute) || fs.readFileSync(absolute, 'utf8') !== content;
  }).map(([file]) => file);
  const dir = path.join(root, RULE_DOCS_DIR);
  const orphaned = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => `${RULE_DOCS_DIR}/${f}`).filter((f) => !files.has(f)) : [];
  return { stale, orphaned };
}
