// Rule docs are generated from rule metadata (npm run docs); these tests fail when they drift, when a rule has no
// test file or no area guide, and when the generator's pieces misbehave.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../tools/lib/core/rule.ts';
import { loadRules } from '../../tools/lib/render/load-rules.ts';
import { docsDrift } from '../../tools/lib/docs/generate.ts';
import { optionRows, replaceBetween, ruleDocPath, textToMarkdown } from '../../tools/lib/docs/rule-docs.ts';
import { webUrlOf } from '../../tools/lib/docs/rule-links.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

let rules: Rule<any>[];
beforeAll(async () => {
  rules = await loadRules();
});

describe('generated rule docs', () => {
  it('are up to date (run `npm run docs` after changing a rule)', async () => {
    expect(await docsDrift(REPO_ROOT)).toEqual({ stale: [], orphaned: [] });
  });

  it('document the defaults the code uses: ports/dangling-reference ignores kube-system and kube-public', () => {
    const rule = rules.find((r) => r.id === 'ports/dangling-reference')!;
    expect(rule.defaultOptions).toEqual({ ignoreNamespaces: ['kube-system', 'kube-public'] });
    const page = fs.readFileSync(path.join(REPO_ROOT, ruleDocPath(rule.id)), 'utf8');
    expect(page).toContain('| `ignoreNamespaces` | string[] | `["kube-system","kube-public"]` | Namespaces whose Services live outside this repository; addresses into them are not checked |');
  });

  it('say how to waive once, in docs/rules/README.md, and never in a rule', () => {
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(REPO_ROOT, ruleDocPath(rule.id)), 'utf8');
      expect(page).toContain(`Like every rule: see [waiving a finding](README.md#waiving-a-finding), with \`rule: ${rule.id}\`.`);
      expect(rule.howToFix).not.toMatch(/to waive/i);
    }
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docs/rules/README.md'), 'utf8')).toContain('## Waiving a finding');
  });
});

describe('every rule', () => {
  it('has its own test file that runs the RuleTester on it', () => {
    const missing = rules.filter((rule) => {
      const file = path.join(REPO_ROOT, 'test', `${rule.id.replace('/', '-')}.test.ts`);
      return !fs.existsSync(file) || !/\bruleTester\(/.test(fs.readFileSync(file, 'utf8'));
    });
    expect(missing.map((r) => `${r.id}: add test/${r.id.replace('/', '-')}.test.ts with ruleTester(rule, { valid, invalid })`)).toEqual([]);
  });

  it('has a section in its area guide docs/policies/<area>.md', () => {
    const missing = rules.filter((rule) => {
      const guide = path.join(REPO_ROOT, 'docs/policies', `${rule.id.split('/')[0]}.md`);
      return !fs.existsSync(guide) || !new RegExp(`^## ${rule.id.replace('/', '\\/')}\\b`, 'm').test(fs.readFileSync(guide, 'utf8'));
    });
    expect(missing.map((r) => `${r.id}: add "## ${r.id}" to docs/policies/${r.id.split('/')[0]}.md`)).toEqual([]);
  });

  it('describes each of its options', () => {
    const undescribed = rules.flatMap((rule) => optionRows(rule).filter((o) => !o.description).map((o) => `${rule.id} option ${o.name}`));
    // landed before option descriptions were generated into the docs; describe it, then delete it here
    const known = [
      'probes/distinct-liveness option compareTiming',
      'probes/required option startupOnly',
      'rbac/no-wildcards option allow',
      'rbac/sensitive-permissions option allow',
      'rbac/service-account-token option allow',
      'security/secret-literal option allowNames',
    ];
    expect(undescribed, 'give the optionsSchema property a description').toEqual(known);
  });
});

describe('the generator', () => {
  it('turns two-space indented blocks into YAML code blocks and keeps paragraphs', () => {
    expect(textToMarkdown('Pin it:\n\n  image: nats:2.10\n  # or a digest\n\nThen push.')).toBe('Pin it:\n\n```yaml\nimage: nats:2.10\n# or a digest\n```\n\nThen push.');
  });
  it('replaces only what is between the markers, and refuses a README without them', () => {
    expect(replaceBetween('a\n<!-- s -->\nold\n<!-- e -->\nb', '<!-- s -->', '<!-- e -->', 'new')).toBe('a\n<!-- s -->\nnew\n<!-- e -->\nb');
    expect(() => replaceBetween('no markers', '<!-- s -->', '<!-- e -->', 'x')).toThrow('markers <!-- s --> ... <!-- e --> not found');
  });
  it('links to the repository from every clone URL form', () => {
    expect(webUrlOf('https://github.com/gitops-fleet/gitops-fleet.git')).toBe('https://github.com/gitops-fleet/gitops-fleet');
    expect(webUrlOf('git@github.com:gitops-fleet/gitops-fleet.git')).toBe('https://github.com/gitops-fleet/gitops-fleet');
    expect(webUrlOf('ssh://git@gitlab.example.com:2222/team/repo.git')).toBe('https://gitlab.example.com/team/repo');
    expect(webUrlOf('/srv/git/repo')).toBeUndefined();
  });
});

describe('npm run docs -- --check (subprocess)', () => {
  const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const docs = (args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(REPO_ROOT, 'tools/docs.ts'), ...args], { encoding: 'utf8', timeout: 120_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('passes on this repository', () => {
    expect(docs(['--check'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('names every stale page and exits 1, and exits 2 with one line when the README has no table markers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-drift-'));
    fs.cpSync(REPO_ROOT + '/README.md', dir + '/README.md');
    fs.mkdirSync(dir + '/docs/rules', { recursive: true });
    fs.writeFileSync(dir + '/docs/rules/images-retired.md', '# gone\n');
    const stale = docs(['--check', '--root', dir]);
    expect(stale.code).toBe(1);
    const lines = stale.stderr.trim().split('\n');
    expect(lines).toContain('docs/rules/images-pinned-tag.md: out of date; run npm run docs');
    expect(lines).toContain('docs/rules/images-retired.md: documents no rule; delete it');
    fs.writeFileSync(dir + '/README.md', '# no table here\n');
    const broken = docs(['--check', '--root', dir]);
    expect(broken).toEqual({
      code: 2,
      stdout: '',
      stderr: 'docs: markers <!-- rules:start (generated by `npm run docs`) --> ... <!-- rules:end --> not found\n',
    });
  });
});
