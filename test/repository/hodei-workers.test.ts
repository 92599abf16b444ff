// Issue 11: hodei-server's worker pods, rendered by the real kustomize for every overlay. On main no pod template carried
// their shape (the server built seed 003's pod, without a seccomp profile, in a `restricted` namespace), so each test
// here failed there; on k3s the quota held 2 of the 4 pods it promised.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.ts';
import { parseQuantity } from '../../tools/lib/resources/quantity.ts';

const OVERLAYS = ['k3s', 'kind', 'staging', 'production'];

function render(overlay: string): any[] {
  const out = execFileSync('kubectl', ['kustomize', `overlays/${overlay}`], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean);
}

const find = (objects: any[], kind: string, namespace: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name);

const nano = (value: unknown): bigint => {
  const q = parseQuantity(value);
  if (!q.ok) throw new Error(`bad quantity ${String(value)}`);
  return q.nano;
};

describe.each(OVERLAYS)('issue 11: hodei worker pods on %s', (overlay) => {
  const objects = render(overlay);
  const template = find(objects, 'PodTemplate', 'hodei-jobs-workers', 'hodei-jobs-worker');
  const config = find(objects, 'ConfigMap', 'hodei-jobs', 'hodei-server-config');

  it('the server is configured to create its workers from PodTemplate hodei-jobs-workers/hodei-jobs-worker', () => {
    expect(template, 'PodTemplate rendered').toBeDefined();
    expect(config.data.HODEI_K8S_NAMESPACE).toBe('hodei-jobs-workers');
    expect(config.data.HODEI_K8S_POD_TEMPLATE).toBe('hodei-jobs-worker');
    expect(template.template.spec.containers[0].image).toBe(config.data.HODEI_WORKER_IMAGE);
    expect(template.template.spec.serviceAccountName).toBe(config.data.HODEI_K8S_SERVICE_ACCOUNT);
    const role = find(objects, 'Role', 'hodei-jobs-workers', 'hodei-jobs-worker-role');
    expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['podtemplates'], resourceNames: ['hodei-jobs-worker'], verbs: ['get'] });
  });

  it('the server\'s resource defaults are the PodTemplate\'s resources', () => {
    const resources = template.template.spec.containers[0].resources;
    expect([resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory]).toEqual([
      config.data.HODEI_K8S_DEFAULT_CPU_REQUEST, config.data.HODEI_K8S_DEFAULT_MEMORY_REQUEST, config.data.HODEI_K8S_DEFAULT_CPU_LIMIT, config.data.HODEI_K8S_DEFAULT_MEMORY_LIMIT,
    ]);
  });

  it('the pod is admissible under restricted (seccomp RuntimeDefault, non-root, no escalation, drop ALL)', () => {
    const spec = template.template.spec;
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    for (const c of spec.containers) {
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
    }
    expect(find(objects, 'Namespace', '', 'hodei-jobs-workers') ?? objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'hodei-jobs-workers'))
      .toMatchObject({ metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
  });

  it('workers dial the server by a name that resolves from hodei-jobs-workers, on a port the Service exposes', () => {
    const env = template.template.spec.containers[0].env.find((e: any) => e.name === 'HODEI_SERVER_ADDRESS');
    const registry = find(objects, 'ConfigMap', 'hodei-jobs-workers', env.valueFrom.configMapKeyRef.name);
    const address = new URL(registry.data[env.valueFrom.configMapKeyRef.key]);
    const [service, namespace, svc, ...rest] = address.hostname.split('.');
    expect([svc, rest.join('.')]).toEqual(['svc', 'cluster.local']);
    expect(find(objects, 'Service', namespace, service).spec.ports.map((p: any) => p.port)).toContain(Number(address.port));
  });

  it('a NetworkPolicy selects the worker pods', () => {
    const labels = template.template.metadata.labels;
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'hodei-jobs-workers');
    const selecting = policies.filter((p) => Object.entries(p.spec.podSelector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0);
    expect(selecting.map((p) => p.metadata.name)).toEqual(['hodei-jobs-worker']);
    expect(selecting[0].metadata.annotations?.['policy-check.dev/waivers']).toBeUndefined();
  });

  it('the ResourceQuota holds exactly as many worker pods as its `pods` promises', () => {
    const quota = find(objects, 'ResourceQuota', 'hodei-jobs-workers', 'hodei-jobs-workers-quota').spec.hard;
    const resources = template.template.spec.containers[0].resources;
    const perPod: Record<string, unknown> = {
      'requests.cpu': resources.requests.cpu, 'requests.memory': resources.requests.memory,
      'limits.cpu': resources.limits.cpu, 'limits.memory': resources.limits.memory,
    };
    const fits = Object.entries(perPod).map(([key, amount]) => [key, Number(nano(quota[key]) / nano(amount))] as const);
    const promised = Number(quota.pods);
    expect(fits.filter(([, n]) => n < promised), `each of ${JSON.stringify(fits)} holds ${promised} pods`).toEqual([]);
  });
});

describe('issue 11: the rule that catches seed 003\'s worker pod', () => {
  it('security/pod-security rejects the PodTemplate without its seccomp profile, as the namespace would', async () => {
    const { runRule } = await import('../../tools/lib/core/rule-tester.ts');
    const { default: podSecurity } = await import('../../policies/security-pod-security.ts');
    const { stringify } = await import('yaml');
    const objects = render('kind');
    const namespace = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'hodei-jobs-workers');
    const template = structuredClone(find(objects, 'PodTemplate', 'hodei-jobs-workers', 'hodei-jobs-worker'));
    expect(runRule(podSecurity, { name: 'as committed', yaml: [namespace, template].map((o) => stringify(o)).join('---\n') })).toEqual([]);
    delete template.template.spec.securityContext.seccompProfile;
    const findings = runRule(podSecurity, { name: 'seed 003', yaml: [namespace, template].map((o) => stringify(o)).join('---\n') });
    expect(findings.map((f) => [f.rule, f.object?.kind, f.object?.name, f.path?.join('.')])).toEqual([
      ['security/pod-security', 'PodTemplate', 'hodei-jobs-worker', 'template.spec.containers.0.securityContext.seccompProfile'],
    ]);
  });
});
