// action.yml, the composite action another repository `uses:`: its metadata holds together (every input used and
// declared, steps and outputs wired), every action is pinned as in the workflows, run scripts take inputs only
// through env and name files that exist, and the check step's own script, run with bash as the runner runs it,
// checks a repository other than this one and reports its exit code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.ts';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required: boolean; default: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const ACTION_TEXT = fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
const action = parse(ACTION_TEXT) as Action;
const steps = action.runs.steps;
const WORKFLOWS = path.join(REPO_ROOT, '.github/workflows');
const workflowText = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => fs.readFileSync(path.join(WORKFLOWS, f), 'utf8'))
  .join('\n');

const checkStep = steps.find((s) => s.id === 'check')!;
const failStep = steps.find((s) => s.name === 'Fail on blocking findings')!;

/** Runs a step's script as a composite action's bash step runs: `bash -e {0}` with the step's env, in its folder. */
function runStep(step: Step, cwd: string, env: Record<string, string>) {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'action-step-')), 'step.sh');
  fs.writeFileSync(script, step.run!);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('=', 2) as [string, string]),
  );
}

describe('action.yml metadata', () => {
  it('is a composite action with a name, a description and documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name).toBe('policy-check');
    expect(Object.keys(action.inputs)).toEqual(['working-directory', 'config', 'format', 'base-ref', 'sarif-file', 'upload-sarif', 'node-version']);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(20);
      expect(input.required, name).toBe(false);
      expect(typeof input.default, name).toBe('string');
    }
  });

  it('uses every input it declares and declares every input it uses', () => {
    const used = new Set([...ACTION_TEXT.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('wires outputs and conditions to steps that exist', () => {
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    const referenced = [...ACTION_TEXT.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)];
    expect(referenced.length).toBeGreaterThan(0);
    for (const [, id, output] of referenced) {
      expect(ids.has(id), id).toBe(true);
      expect(output).toBe('exit-code');
    }
    expect(checkStep.run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
    expect(action.outputs['exit-code'].value).toBe('${{ steps.check.outputs.exit-code }}');
  });

  it('pins every action by a full commit SHA with its version, the same SHA the workflows pin', () => {
    const uses = steps.filter((s) => s.uses).map((s) => s.uses!);
    expect(uses).toEqual(['actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444', 'github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7']);
    for (const line of ACTION_TEXT.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      const match = /uses: ([\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line);
      expect(match, line).not.toBeNull();
      expect(workflowText, `${match![1]} is pinned to the same commit in .github/workflows`).toContain(`${match![1]}@${match![2]} # `);
    }
  });

  it('run steps use bash, take inputs only through env (no ${{ }} inside a script) and name files that exist', () => {
    const runs = steps.filter((s) => s.run);
    expect(runs).toHaveLength(3);
    for (const step of runs) {
      expect(step.shell, step.name).toBe('bash');
      expect(step.run, step.name).not.toContain('${{');
    }
    const files = runs.flatMap((s) => [...s.run!.matchAll(/\$ACTION_PATH\/([\w./-]+)/g)].map((m) => m[1]));
    expect(files).toEqual(['tools/bin/policy-check.mjs']);
    for (const file of files) expect(fs.existsSync(path.join(REPO_ROOT, file)), file).toBe(true);
    const install = runs.find((s) => s.run!.startsWith('npm ci'))!;
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    expect(fs.existsSync(path.join(REPO_ROOT, 'package-lock.json'))).toBe(true);
    expect(checkStep['working-directory']).toBe('${{ github.workspace }}/${{ inputs.working-directory }}');
    expect(checkStep.env?.ACTION_PATH).toBe('${{ github.action_path }}');
  });
});

describe("the check step's script, run with bash as the runner runs it", () => {
  const env = (overrides: Record<string, string>) => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gh-output-')), 'output');
    fs.writeFileSync(output, '');
    return { output, env: { ACTION_PATH: REPO_ROOT, GITHUB_OUTPUT: output, INPUT_CONFIG: '', INPUT_FORMAT: 'github', INPUT_BASE_REF: '', INPUT_SARIF_FILE: '', ...overrides } };
  };

  it('checks another repository (its own clusters, no config of its own): annotations, SARIF, exit-code 1, then the last step fails', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'action-repo-'));
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/engine-repo'), repo, { recursive: true });
    const { output, env: stepEnv } = env({ INPUT_SARIF_FILE: 'policy.sarif' });
    const run = runStep(checkStep, repo, stepEnv);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(outputsOf(output)).toEqual({ 'exit-code': '1' });
    expect(run.stdout).toMatch(/^::error file=apps\/web\/deployment\.yaml,line=\d+,col=\d+,title=security\/pod-security \(flux-dev\)::/m);
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'policy.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    const fail = runStep(failStep, repo, { EXIT_CODE: outputsOf(output)['exit-code'] });
    expect(fail).toMatchObject({ code: 1, stdout: 'policy-check found blocking findings (exit 1); see the annotations or the log above\n' });
  });

  it('on this repository: exit-code 0 and no annotation of an error', () => {
    const { output, env: stepEnv } = env({});
    const run = runStep(checkStep, REPO_ROOT, stepEnv);
    expect(run.code).toBe(0);
    expect(outputsOf(output)).toEqual({ 'exit-code': '0' });
    expect(run.stdout).not.toContain('::error');
  });

  it('a config input that does not exist: exit-code 2, the step fails at once with the one-line reason', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'action-repo-'));
    fs.cpSync(path.join(REPO_ROOT, 'test/fixtures/engine-repo'), repo, { recursive: true });
    const { output, env: stepEnv } = env({ INPUT_CONFIG: 'policies/missing.yaml', INPUT_BASE_REF: '' });
    const run = runStep(checkStep, repo, stepEnv);
    expect(run.code).toBe(2);
    expect(outputsOf(output)).toEqual({ 'exit-code': '2' });
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^policy-check: .*policies\/missing\.yaml/);
  });
});
