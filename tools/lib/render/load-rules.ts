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
  // all at once: the loader transforms and links them together instead of one round trip per module
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(path.join(dir, file)).href)));
  const rules: Rule<any>[] = [];
  const seen = new Map<string, string>();
  files.forEach((file, i) => {
    const rule = modules[i].default;
    if (!isRule(rule)) return;
    const previous = seen.get(rule.id);
    if (previous) throw new Error(`rule id ${rule.id} is defined twice: ${previous} and ${file}`);
    seen.set(rule.id, file);
    rules.push(rule);
  });
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
