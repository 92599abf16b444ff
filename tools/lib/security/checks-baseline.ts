// The baseline checks of the pod-security-admission library (policy/check_*.go), revision by revision.
import type { FieldPath } from '../core/types.ts';
import {
  containerFix, containersOfSpec, inUserNamespace, isObject, podFix, quoteList, securityContextOf, subjectOf,
  type CheckDefinition, type CheckFn, type PodSpec, type Violation,
} from './model.ts';

const hostNamespaces: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) {
      violations.push({
        check: 'hostNamespaces',
        path: [field],
        message: `the pod must not set ${field}=true (it shares the node's ${field.slice(4)} namespace)`,
        fix: podFix({ [field]: false }),
      });
    }
  }
  return violations;
};

const privileged: CheckFn = ({ spec }) =>
  containersOfSpec(spec)
    .filter((c) => securityContextOf(c.container)?.privileged === true)
    .map((c) => ({
      check: 'privileged',
      container: c.name,
      path: [...c.path, 'securityContext', 'privileged'],
      message: `${subjectOf(c)} must not set securityContext.privileged=true`,
      fix: containerFix(c, { privileged: false }),
    }));

const BASELINE_ADDABLE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID',
  'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

const capabilitiesBaseline: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  for (const c of containersOfSpec(spec)) {
    const add = securityContextOf(c.container)?.capabilities?.add;
    if (!Array.isArray(add)) continue;
    const forbidden = add.map(String).filter((cap) => !BASELINE_ADDABLE_CAPABILITIES.has(cap));
    if (forbidden.length === 0) continue;
    violations.push({
      check: 'capabilities_baseline',
      container: c.name,
      path: [...c.path, 'securityContext', 'capabilities', 'add'],
      message: `${subjectOf(c)} must not add ${quoteList(new Set(forbidden))} to securityContext.capabilities.add`,
      fix: containerFix(c, { capabilities: { add: add.filter((cap: unknown) => BASELINE_ADDABLE_CAPABILITIES.has(String(cap))) } }),
    });
  }
  return violations;
};

function volumesOf(spec: PodSpec): Record<string, any>[] {
  return Array.isArray(spec.volumes) ? spec.volumes : [];
}

const hostPathVolumes: CheckFn = ({ spec }) =>
  volumesOf(spec).flatMap((volume, index) =>
    isObject(volume) && volume.hostPath != null
      ? [{
          check: 'hostPathVolumes',
          path: ['volumes', index, 'hostPath'] as FieldPath,
          message: `volume "${volume.name ?? index}" must not use hostPath`,
        }]
      : [],
  );

const hostPorts: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  for (const c of containersOfSpec(spec)) {
    const ports: unknown[] = Array.isArray(c.container.ports) ? c.container.ports : [];
    const offending = ports
      .map((port, index) => ({ port: port as Record<string, any>, index }))
      .filter(({ port }) => isObject(port) && port.hostPort != null && port.hostPort !== 0);
    if (offending.length === 0) continue;
    violations.push({
      check: 'hostPorts',
      container: c.name,
      path: [...c.path, 'ports', offending[0].index, 'hostPort'],
      message: `${subjectOf(c)} must not set hostPort (${offending.map(({ port }) => port.hostPort).join(', ')}); expose it through a Service instead`,
    });
  }
  return violations;
};

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAppArmorAnnotation(value: unknown): boolean {
  const profile = String(value ?? '');
  return profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/');
}

function allowedAppArmorType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

// The library checks the appArmorProfile field (GA in 1.31) inside its single 1.0 revision, so it applies at every version.
const appArmorProfile: CheckFn = ({ metadata, spec }) => {
  const violations: Violation[] = [];
  const podProfile = securityContextOf(spec)?.appArmorProfile;
  if (podProfile != null && !allowedAppArmorType(podProfile?.type)) {
    violations.push({
      check: 'appArmorProfile',
      path: ['securityContext', 'appArmorProfile', 'type'],
      message: `the pod must not set securityContext.appArmorProfile.type to "${podProfile?.type ?? ''}"`,
      fix: podFix({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }),
    });
  }
  for (const c of containersOfSpec(spec)) {
    const profile = securityContextOf(c.container)?.appArmorProfile;
    if (profile != null && !allowedAppArmorType(profile?.type)) {
      violations.push({
        check: 'appArmorProfile',
        container: c.name,
        path: [...c.path, 'securityContext', 'appArmorProfile', 'type'],
        message: `${subjectOf(c)} must not set securityContext.appArmorProfile.type to "${profile?.type ?? ''}"`,
        fix: containerFix(c, { appArmorProfile: { type: 'RuntimeDefault' } }),
      });
    }
  }
  for (const [key, value] of Object.entries(metadata?.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(value)) {
      violations.push({
        check: 'appArmorProfile',
        container: key.slice(APPARMOR_ANNOTATION_PREFIX.length),
        path: ['metadata', 'annotations', key],
        message: `annotation ${key}="${value}" sets a forbidden AppArmor profile`,
        fix: podFix({ metadata: { annotations: { [key]: 'runtime/default' } } }),
      });
    }
  }
  return violations;
};

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t'];

function seLinuxOptions(allowedTypes: string[]): CheckFn {
  const allowed = new Set(allowedTypes);
  // Path to the first forbidden sub-field, or undefined when the options are allowed.
  const problem = (options: Record<string, any>): { field: string; detail: string } | undefined => {
    const type = String(options.type ?? '');
    if (!allowed.has(type)) return { field: 'type', detail: `type "${type}"` };
    if (String(options.user ?? '').length > 0) return { field: 'user', detail: 'user (may not be set)' };
    if (String(options.role ?? '').length > 0) return { field: 'role', detail: 'role (may not be set)' };
    return undefined;
  };
  return ({ spec }) => {
    const violations: Violation[] = [];
    const podOptions = securityContextOf(spec)?.seLinuxOptions;
    const podProblem = isObject(podOptions) ? problem(podOptions) : undefined;
    if (podProblem) {
      violations.push({
        check: 'seLinuxOptions',
        path: ['securityContext', 'seLinuxOptions', podProblem.field],
        message: `the pod sets a forbidden securityContext.seLinuxOptions ${podProblem.detail}`,
        fix: podFix({ securityContext: { seLinuxOptions: { type: 'container_t' } } }),
      });
    }
    for (const c of containersOfSpec(spec)) {
      const options = securityContextOf(c.container)?.seLinuxOptions;
      const found = isObject(options) ? problem(options) : undefined;
      if (!found) continue;
      violations.push({
        check: 'seLinuxOptions',
        container: c.name,
        path: [...c.path, 'securityContext', 'seLinuxOptions', found.field],
        message: `${subjectOf(c)} sets a forbidden securityContext.seLinuxOptions ${found.detail}`,
        fix: containerFix(c, { seLinuxOptions: { type: 'container_t' } }),
      });
    }
    return violations;
  };
}

/** procMount other than Default unmasks /proc; shared by procMount and procMount_restricted. */
export function unmaskedProcMounts(check: string): CheckFn {
  return ({ spec }) =>
    containersOfSpec(spec).flatMap((c) => {
      const procMount = securityContextOf(c.container)?.procMount;
      if (procMount == null || procMount === 'Default') return [];
      return [{
        check,
        container: c.name,
        path: [...c.path, 'securityContext', 'procMount'],
        message: `${subjectOf(c)} must not set securityContext.procMount to "${procMount}"`,
        fix: containerFix(c, { procMount: 'Default' }),
      }];
    });
}

const procMountAlways = unmaskedProcMounts('procMount');
const procMountUnlessUserNamespace: CheckFn = (pod) => (inUserNamespace(pod.spec) ? [] : procMountAlways(pod));

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function allowedSeccompAnnotation(value: unknown): boolean {
  const profile = String(value ?? '');
  return profile === 'runtime/default' || profile === 'docker/default' || profile.startsWith('localhost/');
}

export function allowedSeccompType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

const seccompAnnotations: CheckFn = ({ metadata, spec }) => {
  const annotations = metadata?.annotations ?? {};
  const violations: Violation[] = [];
  const flag = (key: string, container?: string) => {
    if (!(key in annotations) || allowedSeccompAnnotation(annotations[key])) return;
    violations.push({
      check: 'seccompProfile_baseline',
      ...(container === undefined ? {} : { container }),
      path: ['metadata', 'annotations', key],
      message: `annotation ${key}="${annotations[key]}" sets a forbidden seccomp profile`,
      fix: podFix({ metadata: { annotations: { [key]: 'runtime/default' } } }),
    });
  };
  flag(SECCOMP_POD_ANNOTATION);
  for (const c of containersOfSpec(spec)) flag(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name, c.name);
  return violations;
};

/** Explicit seccompProfile.type values that are neither RuntimeDefault nor Localhost (shared with the restricted check). */
export function explicitlyBadSeccomp(spec: PodSpec, check: string): Violation[] {
  const violations: Violation[] = [];
  const podProfile = securityContextOf(spec)?.seccompProfile;
  if (podProfile != null && !allowedSeccompType(podProfile?.type)) {
    violations.push({
      check,
      path: ['securityContext', 'seccompProfile', 'type'],
      message: `the pod must not set securityContext.seccompProfile.type to "${podProfile?.type ?? ''}"`,
      fix: podFix({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    });
  }
  for (const c of containersOfSpec(spec)) {
    const profile = securityContextOf(c.container)?.seccompProfile;
    if (profile != null && !allowedSeccompType(profile?.type)) {
      violations.push({
        check,
        container: c.name,
        path: [...c.path, 'securityContext', 'seccompProfile', 'type'],
        message: `${subjectOf(c)} must not set securityContext.seccompProfile.type to "${profile?.type ?? ''}"`,
        fix: containerFix(c, { seccompProfile: { type: 'RuntimeDefault' } }),
      });
    }
  }
  return violations;
}

const seccompField: CheckFn = ({ spec }) => explicitlyBadSeccomp(spec, 'seccompProfile_baseline');

const SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SYSCTLS_1_27 = [...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SYSCTLS_1_29 = [
  ...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SYSCTLS_1_32 = [...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SYSCTLS_1_37 = [...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctls(allowedNames: string[]): CheckFn {
  const allowed = new Set(allowedNames);
  return ({ spec }) => {
    const list = securityContextOf(spec)?.sysctls;
    if (!Array.isArray(list)) return [];
    return list.flatMap((sysctl, index) => {
      const name = String(sysctl?.name ?? '');
      if (allowed.has(name)) return [];
      return [{
        check: 'sysctls',
        path: ['securityContext', 'sysctls', index, 'name'] as (string | number)[],
        message: `the pod must not set the unsafe sysctl "${name}"`,
      }];
    });
  };
}

const windowsHostProcess: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  if (securityContextOf(spec)?.windowsOptions?.hostProcess === true) {
    violations.push({
      check: 'windowsHostProcess',
      path: ['securityContext', 'windowsOptions', 'hostProcess'],
      message: 'the pod must not set securityContext.windowsOptions.hostProcess=true',
      fix: podFix({ securityContext: { windowsOptions: { hostProcess: false } } }),
    });
  }
  for (const c of containersOfSpec(spec)) {
    if (securityContextOf(c.container)?.windowsOptions?.hostProcess !== true) continue;
    violations.push({
      check: 'windowsHostProcess',
      container: c.name,
      path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'],
      message: `${subjectOf(c)} must not set securityContext.windowsOptions.hostProcess=true`,
      fix: containerFix(c, { windowsOptions: { hostProcess: false } }),
    });
  }
  return violations;
};

const HANDLER_FIELDS: FieldPath[] = [
  ['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop'],
];

const hostProbesAndHostLifecycle: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  for (const c of containersOfSpec(spec)) {
    const hosts: { path: FieldPath; host: string }[] = [];
    for (const handlerPath of HANDLER_FIELDS) {
      let handler: any = c.container;
      for (const segment of handlerPath) handler = isObject(handler) ? handler[segment as string] : undefined;
      if (!isObject(handler)) continue;
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = handler[action]?.host;
        if (host != null && host !== '') hosts.push({ path: [...c.path, ...handlerPath, action, 'host'], host: String(host) });
      }
    }
    if (hosts.length === 0) continue;
    violations.push({
      check: 'hostProbesAndHostLifecycle',
      container: c.name,
      path: hosts[0].path,
      message: `${subjectOf(c)} must not point probes or lifecycle handlers at a host (${quoteList(new Set(hosts.map((h) => h.host)))}); remove the host field`,
    });
  }
  return violations;
};

export const BASELINE_CHECKS: CheckDefinition[] = [
  { id: 'hostNamespaces', level: 'baseline', versions: [{ minimumMinor: 0, check: hostNamespaces }] },
  { id: 'privileged', level: 'baseline', versions: [{ minimumMinor: 0, check: privileged }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ minimumMinor: 0, check: capabilitiesBaseline }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ minimumMinor: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ minimumMinor: 0, check: hostPorts }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ minimumMinor: 0, check: appArmorProfile }] },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    versions: [
      { minimumMinor: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) },
      { minimumMinor: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    versions: [
      { minimumMinor: 0, check: procMountAlways },
      { minimumMinor: 35, check: procMountUnlessUserNamespace },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    versions: [
      { minimumMinor: 0, check: seccompAnnotations },
      { minimumMinor: 19, check: seccompField },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { minimumMinor: 0, check: sysctls(SYSCTLS_1_0) },
      { minimumMinor: 27, check: sysctls(SYSCTLS_1_27) },
      { minimumMinor: 29, check: sysctls(SYSCTLS_1_29) },
      { minimumMinor: 32, check: sysctls(SYSCTLS_1_32) },
      { minimumMinor: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ minimumMinor: 0, check: windowsHostProcess }] },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ minimumMinor: 34, check: hostProbesAndHostLifecycle }] },
];
