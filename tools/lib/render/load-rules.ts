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

function ruleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    // .js: the rules as `npm run build` compiles them into dist/policies
    .filter((f) => /\.[tj]s$/.test(f) && !/\.test\.[tj]s$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
}

/** A rule's id from its file name, by the naming rule every policy follows: `ports-env-from-registry.ts` is `ports/env-from-registry`. */
export function ruleIdOfFile(file: string): string {
  return path.basename(file).replace(/\.[tj]s$/, '').replace('-', '/');
}

/** Every rule id of a folder, from the file names alone: `--rule X` checks X without importing all the rules. */
export function ruleIdsOf(dir = POLICIES_DIR): string[] {
  return ruleFiles(dir).map(ruleIdOfFile).sort((a, b) => a.localeCompare(b));
}

/**
 * The rules of a folder, imported once per process however many times a run asks (CLI, driver, --base).
 * `only`: just the rules with these ids (the others are not imported at all).
 */
export function loadRules(dir = POLICIES_DIR, only?: string[]): Promise<Rule<any>[]> {
  const wanted = only ? new Set(only) : undefined;
  const key = wanted ? `${dir}\0${[...wanted].sort().join(',')}` : dir;
  if (!loaded.has(key)) loaded.set(key, importRules(dir, wanted));
  return loaded.get(key)!.then((rules) => [...rules]);
}

async function importRules(dir: string, wanted?: Set<string>): Promise<Rule<any>[]> {
  const files = ruleFiles(dir).filter((file) => !wanted || wanted.has(ruleIdOfFile(file)));
  // all at once: the loader transforms and links them together instead of one round trip per module
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(path.join(dir, file)).href)));
  const rules: Rule<any>[] = [];
  const seen = new Map<string, string>();
  files.forEach((file, i) => {
    const rule = modules[i].default;
    if (!isRule(rule)) return;
    if (rule.id !== ruleIdOfFile(file)) throw new Error(`${file} defines rule ${rule.id}; a rule's file is named after its id (${rule.id.replace('/', '-')}.ts)`);
    const previous = seen.get(rule.id);
    if (previous) throw new Error(`rule id ${rule.id} is defined twice: ${previous} and ${file}`);
    seen.set(rule.id, file);
    rules.push(rule);
  });
  return rules.sort((a, b) => a.id.localeCompare(b.id));
}
