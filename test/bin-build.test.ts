// `npm run build` compiles the checker to plain JavaScript; the `policy-check` command starts it while it is fresh,
// and gives the same report as `npx tsx tools/check.ts`. A source newer than the build sends it back to tsx.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, runCli } from './helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'tools/bin/policy-check.mjs');
const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-build-'));
const env = { ...process.env, POLICY_CHECK_BUILD_DIR: buildDir, NO_COLOR: '1' };
afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

/** What tools/bin/fresh-build.mjs answers, asked in a process of its own with the test's build folder. */
const freshBuild = async (): Promise<string | undefined> => {
  const script = `import(${JSON.stringify(path.join(ROOT, 'tools/bin/fresh-build.mjs'))}).then((m) => process.stdout.write(m.freshBuild() ?? ''))`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }).stdout || undefined;
};

describe('the built policy-check command', () => {
  it('is not used before it is built', async () => {
    expect(await freshBuild()).toBeUndefined();
  });

  it('builds, is fresh, and checks the fixture repository exactly as tools/check.ts under tsx does', async () => {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/build.ts')], { cwd: ROOT, env, stdio: 'pipe' });
    expect(await freshBuild()).toBe(path.join(buildDir, 'tools/check.js'));
    expect(fs.existsSync(path.join(buildDir, 'policies/ports-env-from-registry.js'))).toBe(true);
    const root = copyFixture('engine-repo');
    const built = spawnSync(process.execPath, [BIN, '--format', 'json', '--cluster', 'flux-dev', '--today', '2026-12-01'], { cwd: root, env, encoding: 'utf8' });
    const viaTsx = runCli(['--format', 'json', '--cluster', 'flux-dev', '--today', '2026-12-01'], root);
    expect(built.status).toBe(viaTsx.code);
    const comparable = (text: string) => ({ ...JSON.parse(text), generatedAt: undefined });
    expect(comparable(built.stdout)).toEqual(comparable(viaTsx.stdout));
    expect(JSON.parse(built.stdout).findings.length).toBeGreaterThan(0);
    const rules = spawnSync(process.execPath, [BIN, '--list-rules'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(rules.stdout).toBe(runCli(['--list-rules'], ROOT).stdout);
  }, 120_000);

  it('a source newer than the build: the command goes back to tsx', async () => {
    const source = path.join(ROOT, 'policies/ports-env-from-registry.ts');
    const { atime, mtime } = fs.statSync(source);
    try {
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(source, later, later);
      expect(await freshBuild()).toBeUndefined();
    } finally {
      fs.utimesSync(source, atime, mtime);
    }
    expect(await freshBuild()).toBe(path.join(buildDir, 'tools/check.js'));
  });
});
