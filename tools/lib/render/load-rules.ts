// Rule discovery: every policies/*.ts module whose default export is a rule. No hand-kept list.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Rule } from '../core/rule.ts';

export const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../policies');

function isRule(value: unknown): value is Rule<any> {
  const rule = value as Rule<any> | undefined;
  return !!rule && typeof rule.id === 'string' && typeof rule.check === 'function' && typeof rule.description === 'string';
}

const loaded = new Map<string, Promise<Rule<any>[]>>();

/** The rules of a folder, imported once per process however many times a run asks (CLI, driver, --base). */
export function loadRules(dir = POLICIES_DIR): Promise<Rule<any>[]> {
  if (!loaded.has(dir)) loaded.set(dir, importRules(dir));
  return loaded.get(dir)!.then((rules) => [...rules]);
}

async function importRules(dir: string): Promise<Rule<any>[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .sort();
  const rules: Rule<any>[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(dir, file)).href);
    if (!isRule(module.default)) continue;
    const previous = seen.get(module.default.id);
    if (previous) throw new Error(`rule id ${module.default.id} is defined twice: ${previous} and ${file}`);
    seen.set(module.default.id, file);
    rules.push(module.default);
  }
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
