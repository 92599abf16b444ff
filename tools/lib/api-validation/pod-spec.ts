// Pod spec validation of k8s.io/kubernetes pkg/apis/core/validation at v1.33 that the OpenAPI schema cannot express:
// container names unique across containers and init containers, securityContext combinations, and the fields
// validateWindows and validateLinux forbid for the pod's declared OS.
import type { ClusterGraph, ContainerEntry, PodTemplate } from '../core/graph.ts';
import { containersOf } from '../core/graph.ts';
import type { FieldPath } from '../core/types.ts';
import { formatPath } from '../core/yaml-source.ts';
import { fieldValue, isMap } from './values.ts';
import type { ApiProblem } from './problem.ts';

/** validateWindows, pod level: fields of spec.securityContext, then fields of spec itself (HostPID and friends live in the internal PodSecurityContext). */
const WINDOWS_FORBIDDEN_POD_SECURITY = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy'];
const WINDOWS_FORBIDDEN_CONTAINER_SECURITY = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function duplicateNames(template: PodTemplate, entries: ContainerEntry[]): ApiProblem[] {
  // Two regular (or two init) containers with one name are a duplicate list key, which schema/strict reports;
  // a name shared across the lists is checked only here, on the init (then ephemeral) container, as upstream does.
  const regular = new Set(entries.filter((e) => e.kind === 'containers').map((e) => e.container.name));
  const init = new Set(entries.filter((e) => e.kind === 'initContainers').map((e) => e.container.name));
  const problems: ApiProblem[] = [];
  for (const entry of entries) {
    const name = entry.container.name;
    if (typeof name !== 'string' || name === '' || entry.kind === 'containers') continue;
    const clash = entry.kind === 'initContainers' ? regular.has(name) : regular.has(name) || init.has(name);
    if (!clash) continue;
    const path = [...entry.path, 'name'];
    problems.push({ object: template.owner, path, messageId: 'duplicateContainerName', data: { field: formatPath(path), value: fieldValue(name) } });
  }
  return problems;
}

function securityContextProblems(template: PodTemplate, entry: ContainerEntry): ApiProblem[] {
  const sc = entry.container.securityContext;
  if (!isMap(sc) || sc.allowPrivilegeEscalation !== false) return [];
  const path: FieldPath = [...entry.path, 'securityContext'];
  const problems: ApiProblem[] = [];
  if (sc.privileged === true) {
    problems.push({ object: template.owner, path: [...path, 'privileged'], messageId: 'privilegedWithoutEscalation', data: { field: formatPath(path) }, key: 'privileged' });
  }
  const added = isMap(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
  added.forEach((capability: unknown, index: number) => {
    if (capability !== 'CAP_SYS_ADMIN') return;
    problems.push({ object: template.owner, path: [...path, 'capabilities', 'add', index], messageId: 'sysAdminWithoutEscalation', data: { field: formatPath(path) }, key: `cap${index}` });
  });
  return problems;
}

function osProblems(template: PodTemplate, entries: ContainerEntry[]): ApiProblem[] {
  const os = isMap(template.spec.os) ? template.spec.os.name : undefined;
  const problems: ApiProblem[] = [];
  const forbid = (path: FieldPath, messageId: string) => problems.push({ object: template.owner, path, messageId, data: { field: formatPath(path) } });
  const podSecurity = isMap(template.spec.securityContext) ? template.spec.securityContext : undefined;
  if (os === 'windows') {
    for (const field of WINDOWS_FORBIDDEN_POD_SECURITY) {
      if (field === 'sysctls' ? Array.isArray(podSecurity?.sysctls) && podSecurity.sysctls.length > 0 : isSet(podSecurity?.[field])) {
        forbid([...template.specPath, 'securityContext', field], 'windowsForbidden');
      }
    }
    if (isSet(template.spec.hostUsers)) forbid([...template.specPath, 'hostUsers'], 'windowsForbidden');
    if (template.spec.hostPID === true) forbid([...template.specPath, 'hostPID'], 'windowsForbidden');
    if (template.spec.hostIPC === true) forbid([...template.specPath, 'hostIPC'], 'windowsForbidden');
    if (isSet(template.spec.shareProcessNamespace)) forbid([...template.specPath, 'shareProcessNamespace'], 'windowsForbidden');
    for (const entry of entries) {
      const sc = entry.container.securityContext;
      if (!isMap(sc)) continue;
      for (const field of WINDOWS_FORBIDDEN_CONTAINER_SECURITY) if (isSet(sc[field])) forbid([...entry.path, 'securityContext', field], 'windowsForbidden');
    }
  } else if (os === 'linux') {
    if (isSet(podSecurity?.windowsOptions)) forbid([...template.specPath, 'securityContext', 'windowsOptions'], 'linuxForbidsWindowsOptions');
    for (const entry of entries) {
      const sc = entry.container.securityContext;
      if (isMap(sc) && isSet(sc.windowsOptions)) forbid([...entry.path, 'securityContext', 'windowsOptions'], 'linuxForbidsWindowsOptions');
    }
  }
  return problems;
}

export function podSpecProblems(graph: ClusterGraph): ApiProblem[] {
  const problems: ApiProblem[] = [];
  for (const template of graph.podTemplates) {
    const entries = containersOf(template);
    problems.push(...duplicateNames(template, entries));
    for (const entry of entries) problems.push(...securityContextProblems(template, entry));
    problems.push(...osProblems(template, entries));
  }
  return problems;
}
