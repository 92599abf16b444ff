// Rules are discovered from policies/*.ts; `--rule X` imports X (and the rules the config names) and nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, ruleIdOfFile, ruleIdsOf } from '../../tools/lib/render/load-rules.ts';
import { configuredRuleIds } from '../../tools/lib/core/config.ts';
import { runCli } from '../helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function policiesDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-rules-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const rule = (id: string) => `export default { id: '${id}', description: 'd', severity: 'error', check: () => [] };\n`;

describe('rule discovery', () => {
  it('names every rule of policies/ by its file, so ids are known without importing the rules', async () => {
    expect(ruleIdOfFile('ports-env-from-registry.ts')).toBe('ports/env-from-registry');
    expect(ruleIdsOf()).toEqual((await loadRules()).map((r) => r.id));
  });

  it('imports only the rules asked for: a rule module that throws on import is not touched', async () => {
    const dir = policiesDir({ 'area-good.ts': rule('area/good'), 'area-broken.ts': "throw new Error('imported');\n" });
    expect((await loadRules(dir, ['area/good'])).map((r) => r.id)).toEqual(['area/good']);
    await expect(loadRules(dir)).rejects.toThrow('imported');
  });

  it('refuses a rule whose file is not named after its id', async () => {
    const dir = policiesDir({ 'area-one.ts': rule('area/other') });
    await expect(loadRules(dir)).rejects.toThrow("area-one.ts defines rule area/other; a rule's file is named after its id (area-other.ts)");
  });
});

describe('the rules a config names', () => {
  it('rule keys and the rule of every waiver, read without validating; an unreadable config names none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'configured-'));
    fs.writeFileSync(
      path.join(dir, 'config.yaml'),
      'rules:\n  ports/env-from-registry:\n    severity: warning\nwaivers:\n  - rule: images/pinned-tag\n    object: Deployment a/b\n    reason: r\n    expires: 2027-01-01\n',
    );
    expect(configuredRuleIds(dir, 'config.yaml').sort()).toEqual(['images/pinned-tag', 'ports/env-from-registry']);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'rules: [\n');
    expect(configuredRuleIds(dir, 'broken.yaml')).toEqual([]);
    expect(configuredRuleIds(dir, 'missing.yaml')).toEqual([]);
  });

  it('--rule with a config that sets options of another rule: that rule is loaded to validate them, and a bad option is still an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-config-'));
    const config = path.join(dir, 'config.yaml');
    fs.writeFileSync(config, 'rules:\n  ports/env-from-registry:\n    options:\n      noSuchOption: 1\n');
    const run = runCli(['--rule', 'images/pinned-tag', '--config', config, '--cluster', 'k3s'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`policy-check: ${path.relative(ROOT, config)}:4: options of ports/env-from-registry: unknown key "noSuchOption" in top level\n`);
  }, 60_000);
});
