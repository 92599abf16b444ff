// Issue 20: who may change the gate. CODEOWNERS owns every file that decides what the check job
// runs, and the branch protection documented in docs/pr-bot.md names checks that exist.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './helpers/cli.ts';

const CODEOWNERS = fs.readFileSync(path.join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8');
const rules = CODEOWNERS.split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map((line) => {
    const [pattern, ...owners] = line.split(/\s+/);
    return { pattern, owners };
  });

/** GitHub's CODEOWNERS matching for the pattern shapes used here: anchored files and folders; the last match wins. */
function ownersOf(file: string): string[] {
  let owners: string[] = [];
  for (const rule of rules) {
    const anchored = rule.pattern.replace(/^\//, '');
    const matches = anchored.endsWith('/') ? file.startsWith(anchored) : file === anchored;
    if (matches) owners = rule.owners;
  }
  return owners;
}

describe('.github/CODEOWNERS', () => {
  it('every line is an anchored pattern with at least one @team owner', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.pattern).toMatch(/^\/[\w./-]+$/);
      expect(rule.owners.length).toBeGreaterThan(0);
      for (const owner of rule.owners) expect(owner).toMatch(/^@[\w-]+\/[\w-]+$/);
    }
  });

  it.each([
    '.github/workflows/policy.yml',
    '.github/workflows/pr-comment.yml',
    '.github/CODEOWNERS',
    'tools/check.ts',
    'tools/pr-comment.ts',
    'tools/lib/core/waive.ts',
    'policies/config.yaml',
    'policies/images-pinned-tag.ts',
    'schemas/config.schema.json',
    'schemas/report.schema.json',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
  ])('%s needs an owner review', (file) => {
    expect(ownersOf(file)).toEqual(['@gitops-fleet/policy-owners']);
  });

  it('workloads do not: app teams change apps/ and overlays/ without the gate owners', () => {
    expect(ownersOf('apps/shop/deployment.yaml')).toEqual([]);
    expect(ownersOf('overlays/production/kustomization.yaml')).toEqual([]);
    expect(ownersOf('toolsmith/x.ts')).toEqual([]);
  });
});

describe('branch protection as documented', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/pr-bot.md'), 'utf8');
  const workflow = (file: string) => parse(fs.readFileSync(path.join(REPO_ROOT, '.github/workflows', file), 'utf8'));

  it('the required checks it names are the job names the workflows produce', () => {
    expect(workflow('policy.yml').jobs.check.name).toBe('Policy check');
    const ci = workflow('ci.yml').jobs.test;
    const names = ci.strategy.matrix.node.map((node: number) => ci.name.replace('${{ matrix.node }}', String(node)));
    const row = doc.split('\n').find((line) => line.startsWith('| Require status checks to pass'))!;
    for (const name of ['Policy check', ...names]) expect(row).toContain(`**${name}**`);
  });

  it('requires Code Owner review, and says which workflow_run jobs not to require', () => {
    expect(doc).toMatch(/\| Require review from Code Owners \| \*\*on\*\* \|/);
    const jobs = workflow('pr-comment.yml').jobs;
    for (const job of Object.values(jobs) as { name: string }[]) expect(doc).toContain(`"${job.name}"`);
  });

  it('describes the permissions of every job of every workflow', () => {
    for (const file of ['ci.yml', 'policy.yml', 'pr-comment.yml']) {
      for (const [id, job] of Object.entries(workflow(file).jobs) as [string, { permissions: Record<string, string> }][]) {
        const row = doc.split('\n').find((line) => line.startsWith(`| \`${file}\` / \`${id}\``));
        expect(row, `${file} ${id}`).toBeDefined();
        for (const [scope, level] of Object.entries(job.permissions)) expect(row, `${file} ${id} ${scope}`).toContain(`\`${scope}: ${level}\``);
      }
    }
  });
});
