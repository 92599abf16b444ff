import { describe, it, expect } from 'vitest';
import { checksFor, evaluatePodSecurity, overridingChecks, parseKubernetesMinor, parsePolicyVersion, resolvePolicyMinor } from '../tools/lib/security/pod-security.ts';
import { enforcedRequirement } from '../tools/lib/security/namespace.ts';

const restrictedContainer = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'app:1',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...extra },
});
const restrictedPod = (spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
  metadata: { annotations },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [restrictedContainer('app')],
    ...spec,
  },
});
const checksOf = (violations: { check: string }[]) => violations.map((v) => v.check);

describe('policy versions', () => {
  it('parses label values and cluster versions', () => {
    expect(parsePolicyVersion('latest')).toBe('latest');
    expect(parsePolicyVersion('v1.29')).toBe(29);
    expect(parsePolicyVersion('1.29')).toBeUndefined();
    expect(parsePolicyVersion('v1.029')).toBeUndefined();
    expect(parseKubernetesMinor('1.31')).toBe(31);
    expect(parseKubernetesMinor('v1.30.4+k3s1')).toBe(30);
    expect(parseKubernetesMinor('two')).toBeUndefined();
  });

  it('clamps latest and future versions to the newest check revision', () => {
    expect(resolvePolicyMinor('latest')).toBe(37);
    expect(resolvePolicyMinor('v1.40')).toBe(37);
    expect(resolvePolicyMinor(12)).toBe(12);
    expect(() => resolvePolicyMinor('v2.0' as never)).toThrow(/not a Pod Security policy version/);
  });
});

describe('check registry', () => {
  it('baseline at v1.33 has no probe-host check; v1.34 adds it', () => {
    expect(checksFor('baseline', 33).map((c) => c.id)).not.toContain('hostProbesAndHostLifecycle');
    expect(checksFor('baseline', 34).map((c) => c.id)).toContain('hostProbesAndHostLifecycle');
  });

  it('restricted replaces the baseline checks its revisions override, only from their versions', () => {
    const ids = (minor: number) => checksFor('restricted', minor).map((c) => c.id);
    expect(ids(18)).toContain('seccompProfile_baseline');
    expect(ids(19)).not.toContain('seccompProfile_baseline');
    expect(ids(21)).toContain('capabilities_baseline');
    expect(ids(22)).not.toContain('capabilities_baseline');
    expect(ids(0)).not.toContain('hostPathVolumes');
    expect(ids(34)).toContain('procMount');
    expect(ids(35)).not.toContain('procMount');
    expect(overridingChecks('hostPathVolumes', 'latest')).toEqual(['restrictedVolumes']);
  });
});

describe('evaluatePodSecurity', () => {
  it('passes a restricted pod at every version', () => {
    for (let minor = 0; minor <= 37; minor++) expect(evaluatePodSecurity(restrictedPod(), 'restricted', minor)).toEqual([]);
  });

  it('visits init, regular and ephemeral containers, in that order, with spec-relative paths', () => {
    const pod = restrictedPod({
      initContainers: [{ name: 'init', image: 'x' }],
      ephemeralContainers: [{ name: 'debug', image: 'x' }],
    });
    const violations = evaluatePodSecurity(pod, 'restricted', 'latest').filter((v) => v.check === 'allowPrivilegeEscalation');
    expect(violations.map((v) => [v.container, v.path])).toEqual([
      ['init', ['initContainers', 0, 'securityContext', 'allowPrivilegeEscalation']],
      ['debug', ['ephemeralContainers', 0, 'securityContext', 'allowPrivilegeEscalation']],
    ]);
  });

  it('reports explicit runAsNonRoot=false only, not the containers that merely inherit', () => {
    const pod = restrictedPod({
      securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [restrictedContainer('a'), restrictedContainer('b', { runAsNonRoot: false })],
    });
    const violations = evaluatePodSecurity(pod, 'restricted', 'latest');
    expect(violations.map((v) => [v.check, v.container ?? 'pod'])).toEqual([['runAsNonRoot', 'pod'], ['runAsNonRoot', 'b']]);
  });

  it('a container runAsNonRoot=true covers a pod that does not set it', () => {
    const pod = restrictedPod({
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [restrictedContainer('a', { runAsNonRoot: true }), restrictedContainer('b')],
    });
    expect(evaluatePodSecurity(pod, 'restricted', 'latest').map((v) => [v.check, v.container])).toEqual([['runAsNonRoot', 'b']]);
  });

  it('SELinux: user and role may never be set; container_engine_t is allowed from v1.31', () => {
    const withOptions = (seLinuxOptions: Record<string, string>) => restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions } });
    expect(evaluatePodSecurity(withOptions({ user: 'system_u' }), 'baseline', 'latest').map((v) => v.path)).toEqual([['securityContext', 'seLinuxOptions', 'user']]);
    expect(evaluatePodSecurity(withOptions({ type: 'container_engine_t' }), 'baseline', 30)).toHaveLength(1);
    expect(evaluatePodSecurity(withOptions({ type: 'container_engine_t' }), 'baseline', 31)).toEqual([]);
    expect(evaluatePodSecurity(withOptions({ level: 's0:c1,c2' }), 'baseline', 'latest')).toEqual([]);
  });

  it('sysctls: the safe list grows with the version', () => {
    const pod = (name: string) => ({ spec: { securityContext: { sysctls: [{ name, value: '1' }] }, containers: [{ name: 'a' }] } });
    expect(checksOf(evaluatePodSecurity(pod('net.ipv4.ip_local_reserved_ports'), 'baseline', 26))).toEqual(['sysctls']);
    expect(evaluatePodSecurity(pod('net.ipv4.ip_local_reserved_ports'), 'baseline', 27)).toEqual([]);
    expect(checksOf(evaluatePodSecurity(pod('net.ipv4.tcp_rmem'), 'baseline', 31))).toEqual(['sysctls']);
    expect(evaluatePodSecurity(pod('net.ipv4.tcp_rmem'), 'baseline', 32)).toEqual([]);
    expect(checksOf(evaluatePodSecurity(pod('net.ipv4.tcp_notsent_lowat'), 'baseline', 36))).toEqual(['sysctls']);
    expect(evaluatePodSecurity(pod('net.ipv4.tcp_notsent_lowat'), 'baseline', 37)).toEqual([]);
  });

  it('AppArmor: the field allows RuntimeDefault and Localhost at every version; annotation paths are on the pod metadata', () => {
    const localhost = restrictedPod({ containers: [restrictedContainer('app', { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-app' } })] });
    expect(evaluatePodSecurity(localhost, 'restricted', 0)).toEqual([]);
    const annotated = restrictedPod({}, { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' });
    const [violation] = evaluatePodSecurity(annotated, 'baseline', 'latest');
    expect(violation).toMatchObject({ check: 'appArmorProfile', container: 'app', path: ['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app'] });
  });

  it('restricted volumes: allowed sources, defaulted emptyDir, and image volumes pass; others name their type', () => {
    const pod = restrictedPod({
      volumes: [{ name: 'a' }, { name: 'b', image: { reference: 'data:1' } }, { name: 'c', ephemeral: { volumeClaimTemplate: {} } }, { name: 'd', iscsi: { iqn: 'x' } }],
    });
    expect(evaluatePodSecurity(pod, 'restricted', 'latest').map((v) => v.path)).toEqual([['volumes', 3, 'iscsi']]);
  });

  it('capabilities_baseline applies under restricted before v1.22, capabilities_restricted after', () => {
    const pod = restrictedPod({ containers: [restrictedContainer('app', { capabilities: { add: ['SYS_ADMIN'] } })] });
    expect(checksOf(evaluatePodSecurity(pod, 'restricted', 21))).toEqual(['capabilities_baseline']);
    expect(checksOf(evaluatePodSecurity(pod, 'restricted', 22))).toEqual(['capabilities_restricted']);
  });

  it('fix hints are YAML rooted at the pod spec, mergeable by container name', () => {
    const pod = { spec: { containers: [{ name: 'app', image: 'x' }] } };
    const violation = evaluatePodSecurity(pod, 'restricted', 'latest').find((v) => v.check === 'allowPrivilegeEscalation');
    expect(violation?.fix).toBe('containers:\n- name: app\n  securityContext:\n    allowPrivilegeEscalation: false');
  });
});

describe('enforcedRequirement', () => {
  const cluster = { kubernetesVersion: '1.31', podSecurityMinimum: 'baseline' as const };

  it('reads the enforce label and pins the version to the cluster when it is latest or absent', () => {
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'restricted' }, cluster)).toEqual({ level: 'restricted', minor: 31, levelSource: 'label' });
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.25' }, cluster).minor).toBe(25);
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.36' }, cluster).minor).toBe(31);
  });

  it('never goes below the minimum, and treats unparseable labels as restricted', () => {
    expect(enforcedRequirement({}, cluster)).toEqual({ level: 'baseline', minor: 31, levelSource: 'minimum' });
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'privileged' }, cluster).level).toBe('baseline');
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'Restricted' }, cluster)).toMatchObject({ level: 'restricted', levelSource: 'invalid-label' });
    expect(enforcedRequirement({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': '1.25' }, cluster).level).toBe('restricted');
  });
});
