// The config's schema and the rules' optionsSchema are compiled ahead of time (npm run generate:config-validator).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VALIDATOR, configValidatorSource } from '../tools/generate-config-validator.ts';
import { ConfigError, loadConfig } from '../tools/lib/core/config.ts';
import { loadRules } from '../tools/lib/render/load-rules.ts';

describe('the generated config validator', () => {
  it('is what the generator writes for the schema and rules of today (run `npm run generate:config-validator` when this fails)', async () => {
    expect(fs.readFileSync(CONFIG_VALIDATOR, 'utf8') === (await configValidatorSource())).toBe(true);
  }, 60_000);

  it('a rule whose optionsSchema changed since it was generated is validated against the schema it has now', async () => {
    const [rule] = (await loadRules()).filter((r) => r.id === 'rbac/sensitive-permissions');
    const changed = { ...rule, optionsSchema: { type: 'object', additionalProperties: false, properties: { onlyNow: { type: 'integer' } } } };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-validator-'));
    fs.writeFileSync(path.join(dir, 'config.yaml'), 'rules:\n  rbac/sensitive-permissions:\n    options:\n      onlyNow: x\n');
    expect(() => loadConfig(dir, 'config.yaml', [changed])).toThrow(ConfigError);
    expect(() => loadConfig(dir, 'config.yaml', [changed])).toThrow('options of rbac/sensitive-permissions: onlyNow must be integer');
    fs.writeFileSync(path.join(dir, 'config.yaml'), 'rules:\n  rbac/sensitive-permissions:\n    options:\n      onlyNow: 3\n');
    expect(loadConfig(dir, 'config.yaml', [changed]).rules['rbac/sensitive-permissions'].options).toEqual({ onlyNow: 3 });
  });
});
