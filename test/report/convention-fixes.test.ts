// The repository's own component as the combined fix: a new namespace without components/namespace-defaults gets
// one `components:` line instead of three snippets, proven by checking the cluster with and without it.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { namespaceOfFinding, resolvedFindings } from '../../tools/lib/report/convention-fixes.ts';
import { readKustomization } from '../../tools/lib/report/namespace-kustomizations.ts';
import { memorySourceReader } from '../../tools/lib/core/locate.ts';
import { renderComment } from '../../tools/lib/report/comment.ts';
import { combinedFixes, combinedFixSection } from '../../tools/lib/report/combined-fixes.ts';
import type { CombinedFix, Finding, Report } from '../../tools/lib/core/types.ts';
import { findKustomize } from '../../tools/lib/render/kustomize.ts';
import { runCli } from '../helpers/cli.ts';
import { api, conventionRepo, removeConventionRepos } from '../helpers/convention-repo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const finding = (rule: string, object: Finding['object'], extra: Partial<Finding> = {}): Finding => ({
  rule, severity: 'error', cluster: 'dev', object, message: `${rule} message`,
  fingerprint: createHash('sha256').update(`${rule}|${JSON.stringify(object)}|${extra.path ?? ''}`).digest('hex').slice(0, 16), ...extra,
});
const shopNamespace = { apiVersion: 'v1', kind: 'Namespace', name: 'shop' };
const shopApi = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' };
const defaultDeny = finding('network/default-deny', shopNamespace);
const pssLabel = finding('security/namespace-pss-label', shopNamespace);
const dnsEgress = finding('network/dns-egress', shopApi);
const pinnedTag = finding('images/pinned-tag', shopApi);

describe('resolvedFindings: what a change resolves in one namespace, from the check before and after it', () => {
  it('names the namespace of a Namespace finding by its name and of a namespaced one by its namespace', () => {
    expect([defaultDeny, dnsEgress, finding('x/y', undefined)].map(namespaceOfFinding)).toEqual(['shop', 'shop', undefined]);
  });

  it('returns the findings that disappear when two or more do and nothing new appears', () => {
    expect(resolvedFindings([defaultDeny, pssLabel, dnsEgress, pinnedTag], [pinnedTag], 'shop')).toEqual([defaultDeny, pssLabel, dnsEgress]);
  });

  it('offers nothing when the change brings a new finding, even one in another namespace', () => {
    const elsewhere = finding('render/duplicate-object', { ...shopApi, namespace: 'billing' });
    expect(resolvedFindings([defaultDeny, pssLabel], [elsewhere], 'shop')).toBeUndefined();
  });

  it('offers nothing for one finding, or when a finding of a rule it resolves stays in the namespace', () => {
    expect(resolvedFindings([defaultDeny, pssLabel], [pssLabel], 'shop')).toBeUndefined();
    const otherDns = finding('network/dns-egress', { ...shopApi, name: 'worker' });
    expect(resolvedFindings([defaultDeny, pssLabel, dnsEgress, otherDns], [otherDns], 'shop')).toBeUndefined();
  });

  it('counts neither waived findings nor findings of other namespaces', () => {
    const waived = { ...pssLabel, suppressed: { kind: 'config' as const, reason: 'r', expires: '2099-01-01' } };
    const billing = finding('network/default-deny', { ...shopNamespace, name: 'billing' });
    expect(resolvedFindings([defaultDeny, waived, billing], [], 'shop')).toBeUndefined();
    expect(resolvedFindings([defaultDeny, dnsEgress, billing], [billing, waived], 'shop')).toEqual([defaultDeny, dnsEgress]);
  });
});

describe('readKustomization: where a component line goes', () => {
  it('points at the components: key when there is one, else at resources:', () => {
    const read = memorySourceReader({
      'apps/a/kustomization.yaml': 'kind: Kustomization\nnamespace: a\nresources:\n  - namespace.yaml\ncomponents:\n  - ../../components/x\n',
      'apps/b/kustomization.yaml': '# b\nnamespace: b\nresources:\n  - ns.yaml\n',
    });
    expect(readKustomization(read, 'apps/a')).toEqual({
      file: 'apps/a/kustomization.yaml', dir: 'apps/a', namespace: 'a', kind: 'Kustomization',
      resources: ['apps/a/namespace.yaml'], components: ['components/x'], componentsAt: { file: 'apps/a/kustomization.yaml', line: 5, column: 1 },
    });
    expect(readKustomization(read, 'apps/b')?.componentsAt).toEqual({ file: 'apps/b/kustomization.yaml', line: 3, column: 1 });
    expect(readKustomization(read, 'apps/c')).toBeUndefined();
  });
});

describe('component fixes among the merged ones', () => {
  const componentFix = (cluster: string, fingerprints: string[]): CombinedFix => ({
    cluster, object: shopNamespace, under: 'components', rules: ['network/default-deny', 'security/namespace-pss-label'], fingerprints,
    snippet: '# in apps/shop/kustomization.yaml, as in apps/billing\ncomponents:\n  - ../../components/namespace-defaults',
    location: { file: 'apps/shop/kustomization.yaml', line: 4, column: 1 }, component: 'components/namespace-defaults',
  });

  it('come first, and the findings they resolve are left out of the merged snippets', () => {
    const container = ['spec', 'template', 'spec', 'containers', 0, 'securityContext'];
    const a = finding('a/one', shopApi, { path: [...container, 'runAsUser'], fix: 'containers:\n- name: api\n  securityContext:\n    runAsUser: 1000' });
    const b = finding('b/two', shopApi, { path: [...container, 'runAsGroup'], fix: 'containers:\n- name: api\n  securityContext:\n    runAsGroup: 1000' });
    expect(combinedFixes([a, b]).map((f) => f.rules)).toEqual([['a/one', 'b/two']]);
    const byComponent = componentFix('dev', [a.fingerprint, defaultDeny.fingerprint]);
    expect(combinedFixes([a, b], [byComponent])).toEqual([byComponent]);
  });

  it('one shared folder giving the same fix in two clusters is one item of the PR comment, naming both', () => {
    const section = combinedFixSection([componentFix('kind', ['k1', 'k2']), componentFix('staging', ['s1', 's2'])], new Set(['k1', 's1']))!;
    expect(section.head).toBe('\n#### Combined fixes (1)\n\n');
    expect(section.items).toHaveLength(1);
    expect(section.items![0].split('\n')[0]).toBe('- **Namespace shop** (apps/shop/kustomization\\.yaml\\:4), clusters kind, staging: the component components/namespace\\-defaults for 2 findings of network/default\\-deny, security/namespace\\-pss\\-label');
  });
});

const SNIPPET = '# in apps/shop/kustomization.yaml, as in apps/billing\ncomponents:\n  - ../../components/namespace-defaults';
const POINTER = 'fixed with 2 other findings by the combined fix below: components/namespace-defaults in apps/shop/kustomization.yaml';
// each repository is new; the shared render cache is left out so the text shows no "from the render cache"
const check = (args: string[], repo: string) => runCli([...args, '--no-render-cache'], repo);
const pad = (line: string) => `                      ${line}`;

const kustomize = await findKustomize().catch(() => undefined);
describe.skipIf(!kustomize)('component fixes from the CLI (real kustomize on a new app without components/namespace-defaults)', () => {
  afterAll(removeConventionRepos);
  it('text: each finding points at one combined fix, the component line in the kustomization that renders the namespace', () => {
    const repo = conventionRepo();
    const { code, stdout } = check(['--cluster', 'dev'], repo);
    expect(code).toBe(1);
    expect(stdout).toBe([
      'cluster dev (path; 1 entry point, 9 objects)',
      '  apps/shop/api.yaml',
      '    14:7     error    network/dns-egress               Deployment shop/shop-api is isolated for egress by shop/shop-api-egress-https but may not reach cluster DNS (pods k8s-app=kube-dns in kube-system) on 53/UDP and 53/TCP',
      pad('Deployment shop/shop-api spec.template.metadata.labels'),
      pad(POINTER),
      '  apps/shop/namespace.yaml',
      '    3:1      error    security/namespace-pss-label     namespace shop holds pods but has no pod-security.kubernetes.io/enforce, pod-security.kubernetes.io/audit, pod-security.kubernetes.io/warn labels (minimum restricted)',
      pad('Namespace shop metadata.labels'),
      pad(POINTER),
      '    4:3      error    network/default-deny             namespace "shop" has pods (Deployment shop/shop-api) but no NetworkPolicy that selects all of them denies ingress and egress by default',
      pad('Namespace shop metadata.name'),
      pad(POINTER),
      '  combined fix for Namespace shop (apps/shop/kustomization.yaml:4): the component components/namespace-defaults for 3 findings of network/default-deny, network/dns-egress, security/namespace-pss-label',
      ...SNIPPET.split('\n').map((l) => `    ${l}`),
      '',
      '✖ 3 errors, 0 warnings in 1 cluster',
      '',
    ].join('\n'));
  }, 120_000);

  it('json: the component fix replaces the three snippets, validates against the schema, and applying it leaves nothing to fix', () => {
    const repo = conventionRepo();
    const report: Report = JSON.parse(check(['--cluster', 'dev', '--format', 'json'], repo).stdout);
    const byRule = (rule: string) => report.findings.find((f) => f.rule === rule)!.fingerprint;
    expect(report.fixes).toEqual([{
      cluster: 'dev',
      object: { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
      under: 'components',
      rules: ['network/default-deny', 'network/dns-egress', 'security/namespace-pss-label'],
      fingerprints: [byRule('network/default-deny'), byRule('network/dns-egress'), byRule('security/namespace-pss-label')],
      snippet: SNIPPET,
      location: { file: 'apps/shop/kustomization.yaml', line: 4, column: 1 },
      component: 'components/namespace-defaults',
    }]);
    // each finding keeps its own fix in json: only the report's fixes[] and the people's outputs prefer the component
    expect(report.findings.map((f) => [f.rule, typeof f.fix])).toEqual([
      ['network/default-deny', 'string'], ['network/dns-egress', 'string'], ['security/namespace-pss-label', 'string'],
    ]);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);

    // paste the snippet (without its comment) where it says, and the namespace is clean
    const file = path.join(repo, 'apps/shop/kustomization.yaml');
    fs.appendFileSync(file, SNIPPET.split('\n').slice(1).join('\n') + '\n');
    const after = check(['--cluster', 'dev'], repo);
    expect(after.stdout).toBe('cluster dev (path; 1 entry point, 12 objects)\n  no findings\n\n✔ 0 errors, 0 warnings in 1 cluster\n');
    expect(after.code).toBe(0);
  }, 120_000);

  it('sarif and github: each resolved finding\'s message carries the component line instead of its own snippet', () => {
    const repo = conventionRepo();
    const componentFix = `the component components/namespace-defaults in apps/shop/kustomization.yaml:4 fixes this and 2 other findings:\n${SNIPPET}`;
    const sarif = JSON.parse(check(['--cluster', 'dev', '--format', 'sarif'], repo).stdout);
    const messages: string[] = sarif.runs[0].results.map((r: any) => r.message.text);
    expect(messages).toHaveLength(3);
    for (const text of messages) expect(text.endsWith(`\nFix:\n${componentFix}`), text).toBe(true);
    const annotations = check(['--cluster', 'dev', '--format', 'github'], repo).stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(3);
    const escaped = componentFix.replace(/%/g, '%25').replace(/\n/g, '%0A');
    for (const line of annotations) expect(line.endsWith(`%0A%0AFix:%0A${escaped}`), line).toBe(true);
  }, 120_000);

  it('partly covered: the component is offered for what it resolves, and a finding of another rule keeps its own snippet', () => {
    const repo = conventionRepo({ 'apps/shop/api.yaml': api('shop-api', 'ghcr.io/example/api:latest') });
    const report: Report = JSON.parse(check(['--cluster', 'dev', '--format', 'json'], repo).stdout);
    expect(report.findings.map((f) => f.rule)).toEqual(['images/pinned-tag', 'network/default-deny', 'network/dns-egress', 'security/namespace-pss-label']);
    expect(report.fixes?.map((f) => `${f.component} ${f.rules.join(',')}`)).toEqual(['components/namespace-defaults network/default-deny,network/dns-egress,security/namespace-pss-label']);
    const { stdout } = check(['--cluster', 'dev'], repo);
    // images/pinned-tag carries no snippet of its own (the tag to pin is the author's choice): no pointer either
    expect(stdout).toContain([
      '    26:11    error    images/pinned-tag                container "api" of Deployment shop/shop-api uses the floating tag "latest" in "ghcr.io/example/api:latest"',
      pad('Deployment shop/shop-api spec.template.spec.containers[0].image'),
      '  apps/shop/namespace.yaml',
    ].join('\n'));
    expect(stdout.split('\n').filter((l) => l.includes(POINTER))).toHaveLength(3);
  }, 120_000);

  it('no component fix when the component would bring a finding: its LimitRange default limit (500m) under a 1 CPU request', () => {
    const resources = 'requests:\n              cpu: "1"\n              memory: 128Mi\n            limits:\n              memory: 256Mi';
    const repo = conventionRepo({ 'apps/shop/api.yaml': api('shop-api', undefined, resources) });
    const report: Report = JSON.parse(check(['--cluster', 'dev', '--format', 'json'], repo).stdout);
    expect(report.findings.map((f) => f.rule)).toEqual(['network/default-deny', 'network/dns-egress', 'resources/requests-limits', 'security/namespace-pss-label']);
    expect(report.fixes).toBeUndefined();
    const { stdout } = check(['--cluster', 'dev'], repo);
    expect(stdout).not.toContain('combined fix');
    for (const f of report.findings) expect(stdout).toContain(f.fix!.split('\n').map(pad).join('\n'));
  }, 120_000);

  it('a component that does not apply to a bare namespace (a patch of one named Deployment) is passed over, and nothing is lost', () => {
    const repo = conventionRepo({
      'apps/billing/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: billing\nresources:\n  - namespace.yaml\n  - api.yaml\ncomponents:\n  - ../../components/namespace-defaults\n  - ../../components/two-replicas\n',
      'components/two-replicas/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: billing-api.yaml\n',
      'components/two-replicas/billing-api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing-api\nspec:\n  replicas: 2\n',
    });
    const report: Report = JSON.parse(check(['--cluster', 'dev', '--format', 'json'], repo).stdout);
    // two replicas make billing's own warning: a finding of another namespace, left as it is
    expect(report.findings.map((f) => `${f.rule} ${f.object?.namespace ?? f.object?.name}`).sort()).toEqual([
      'network/default-deny shop', 'network/dns-egress shop', 'security/namespace-pss-label shop', 'workloads/replica-spread billing',
    ]);
    expect(report.fixes?.map((f) => [f.component, f.snippet])).toEqual([['components/namespace-defaults', SNIPPET]]);
  }, 120_000);

  it('the PR comment: the findings point at the component, listed once under "Combined fixes"', () => {
    const repo = conventionRepo();
    const report: Report = JSON.parse(check(['--cluster', 'dev', '--format', 'json'], repo).stdout);
    const { body } = renderComment(report, {});
    expect(body.split('\n').filter((l) => l === '  fixed with 2 other findings by the combined fix below\\: components/namespace\\-defaults in apps/shop/kustomization\\.yaml')).toHaveLength(3);
    expect(body).toContain([
      '#### Combined fixes (1)',
      '',
      '- **Namespace shop** (apps/shop/kustomization\\.yaml\\:4), cluster dev: the component components/namespace\\-defaults for 3 findings of network/default\\-deny, network/dns\\-egress, security/namespace\\-pss\\-label',
      '',
      '  ```yaml',
      ...SNIPPET.split('\n').map((l) => `  ${l}`),
      '  ```',
    ].join('\n'));
    expect(body).not.toContain('kind: NetworkPolicy');
  }, 120_000);
});
