#!/usr/bin/env -S npx tsx
// npm run docs: writes docs/rules/*.md and the README rule table from rule metadata. --check: exit 1 when they are stale.
// --root DIR: another checkout (the rules are always this checkout's).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsDrift, generatedDocs } from './lib/docs/generate.ts';
import { RULE_DOCS_DIR } from './lib/docs/rule-docs.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(argv: string[]): Promise<number> {
  const rootFlag = argv.indexOf('--root');
  const root = rootFlag >= 0 ? path.resolve(argv[rootFlag + 1] ?? '.') : REPO_ROOT;
  if (argv.includes('--check')) {
    const { stale, orphaned } = await docsDrift(root);
    for (const file of stale) process.stderr.write(`${file}: out of date; run npm run docs\n`);
    for (const file of orphaned) process.stderr.write(`${file}: documents no rule; delete it\n`);
    return stale.length + orphaned.length > 0 ? 1 : 0;
  }
  const files = await generatedDocs(root);
  fs.mkdirSync(path.join(root, RULE_DOCS_DIR), { recursive: true });
  let written = 0;
  for (const [file, content] of files) {
    const absolute = path.join(root, file);
    if (fs.existsSync(absolute) && fs.readFileSync(absolute, 'utf8') === content) continue;
    fs.writeFileSync(absolute, content);
    written += 1;
    process.stdout.write(`wrote ${file}\n`);
  }
  const { orphaned } = await docsDrift(root);
  for (const file of orphaned) process.stdout.write(`${file} documents no rule; delete it\n`);
  process.stdout.write(`${files.size} files, ${written} changed\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  process.stderr.write(`docs: ${(error as Error).message}\n`);
  process.exit(2);
});
