// The restricted checks of the pod-security-admission library (policy/check_*.go), revision by revision.
import { explicitlyBadSeccomp, unmaskedProcMounts } from './checks-baseline.ts';
import {
  containerFix, containersOfSpec, inUserNamespace, isObject, isWindowsPod, podFix, quoteList, securityContextOf, subjectOf,
  type CheckDefinition, type CheckFn, type Violation,
} from './model.ts';

const ALLOWED_VOLUME_SOURCES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

// The API server defaults a volume without any source to emptyDir before admission sees it.
const restrictedVolumes: CheckFn = ({ spec }) => {
  const volumes: unknown[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  return volumes.flatMap((volume, index) => {
    if (!isObject(volume)) return [];
    const sources = Object.keys(volume).filter((key) => key !== 'name' && volume[key] != null);
    if (sources.length === 0 || sources.some((key) => ALLOWED_VOLUME_SOURCES.has(key))) return [];
    return [{
      check: 'restrictedVolumes',
      path: ['volumes', index, sources[0]],
      message: `volume "${volume.name ?? index}" uses the restricted volume type ${sources[0]}; allowed: ${[...ALLOWED_VOLUME_SOURCES].join(', ')}`,
    }];
  });
};

const allowPrivilegeEscalation: CheckFn = ({ spec }) =>
  containersOfSpec(spec)
    .filter((c) => securityContextOf(c.container)?.allowPrivilegeEscalation !== false)
    .map((c) => ({
      check: 'allowPrivilegeEscalation',
      container: c.name,
      path: [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
      message: `${subjectOf(c)} must set securityContext.allowPrivilegeEscalation=false`,
      fix: containerFix(c, { allowPrivilegeEscalation: false }),
    }));

/** From v1.25 the library admits Windows pods (spec.os.name: windows) to checks that only make sense on Linux. */
function exceptWindows(check: CheckFn): CheckFn {
  return (pod) => (isWindowsPod(pod.spec) ? [] : check(pod));
}

/** From v1.35 the library skips root checks for pods in a user namespace (hostUsers: false). */
function exceptUserNamespace(check: CheckFn): CheckFn {
  return (pod) => (inUserNamespace(pod.spec) ? [] : check(pod));
}

// Explicit false anywhere is reported first; only when nobody sets false do unset containers without a pod-level true count.
const runAsNonRoot: CheckFn = ({ spec }) => {
  const explicit: Violation[] = [];
  const implicit: Violation[] = [];
  const podValue = securityContextOf(spec)?.runAsNonRoot;
  if (podValue === false) {
    explicit.push({
      check: 'runAsNonRoot',
      path: ['securityContext', 'runAsNonRoot'],
      message: 'the pod must not set securityContext.runAsNonRoot=false',
      fix: podFix({ securityContext: { runAsNonRoot: true } }),
    });
  }
  for (const c of containersOfSpec(spec)) {
    const value = securityContextOf(c.container)?.runAsNonRoot;
    const path = [...c.path, 'securityContext', 'runAsNonRoot'];
    if (value === false) {
      explicit.push({
        check: 'runAsNonRoot', container: c.name, path,
        message: `${subjectOf(c)} must not set securityContext.runAsNonRoot=false`,
        fix: containerFix(c, { runAsNonRoot: true }),
      });
    } else if (value == null && podValue !== true) {
      implicit.push({
        check: 'runAsNonRoot', container: c.name, path,
        message: `${subjectOf(c)} must set securityContext.runAsNonRoot=true (or the pod securityContext must)`,
        fix: podFix({ securityContext: { runAsNonRoot: true } }),
      });
    }
  }
  return explicit.length > 0 ? explicit : implicit;
};

// runAsUser: 0 at pod level is forbidden even when every container overrides it: the library judges each field on its own.
const runAsUser: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  if (securityContextOf(spec)?.runAsUser === 0) {
    violations.push({
      check: 'runAsUser',
      path: ['securityContext', 'runAsUser'],
      message: 'the pod must not set securityContext.runAsUser=0',
      fix: podFix({ securityContext: { runAsUser: 10001 } }),
    });
  }
  for (const c of containersOfSpec(spec)) {
    if (securityContextOf(c.container)?.runAsUser !== 0) continue;
    violations.push({
      check: 'runAsUser',
      container: c.name,
      path: [...c.path, 'securityContext', 'runAsUser'],
      message: `${subjectOf(c)} must not set securityContext.runAsUser=0`,
      fix: containerFix(c, { runAsUser: 10001 }),
    });
  }
  return violations;
};

const seccompProfileRestricted: CheckFn = ({ spec }) => {
  const explicit = explicitlyBadSeccomp(spec, 'seccompProfile_restricted');
  if (explicit.length > 0) return explicit;
  if (securityContextOf(spec)?.seccompProfile != null) return [];
  return containersOfSpec(spec)
    .filter((c) => securityContextOf(c.container)?.seccompProfile == null)
    .map((c) => ({
      check: 'seccompProfile_restricted',
      container: c.name,
      path: [...c.path, 'securityContext', 'seccompProfile'],
      message: `${subjectOf(c)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost" (or the pod securityContext must)`,
      fix: podFix({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }),
    }));
};

const capabilitiesRestricted: CheckFn = ({ spec }) => {
  const violations: Violation[] = [];
  for (const c of containersOfSpec(spec)) {
    const capabilities = securityContextOf(c.container)?.capabilities;
    const base = [...c.path, 'securityContext', 'capabilities'];
    if (capabilities == null) {
      violations.push({
        check: 'capabilities_restricted', container: c.name, path: [...base, 'drop'],
        message: `${subjectOf(c)} must set securityContext.capabilities.drop=["ALL"]`,
        fix: containerFix(c, { capabilities: { drop: ['ALL'] } }),
      });
      continue;
    }
    const drop: unknown[] = Array.isArray(capabilities.drop) ? capabilities.drop : [];
    const add: unknown[] = Array.isArray(capabilities.add) ? capabilities.add : [];
    const missingDropAll = !drop.includes('ALL');
    const forbiddenAdds = [...new Set(add.map(String).filter((cap) => cap !== 'NET_BIND_SERVICE'))];
    if (!missingDropAll && forbiddenAdds.length === 0) continue;
    const problems = [
      ...(missingDropAll ? ['must set securityContext.capabilities.drop=["ALL"]'] : []),
      ...(forbiddenAdds.length ? [`must not add ${quoteList(forbiddenAdds)} (only "NET_BIND_SERVICE" may be added)`] : []),
    ];
    const fixed: Record<string, unknown> = { drop: ['ALL'] };
    if (add.includes('NET_BIND_SERVICE')) fixed.add = ['NET_BIND_SERVICE'];
    violations.push({
      check: 'capabilities_restricted',
      container: c.name,
      path: [...base, missingDropAll ? 'drop' : 'add'],
      message: `${subjectOf(c)} ${problems.join(' and ')}`,
      fix: containerFix(c, { capabilities: fixed }),
    });
  }
  return violations;
};

export const RESTRICTED_CHECKS: CheckDefinition[] = [
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    versions: [{ minimumMinor: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    versions: [
      { minimumMinor: 8, check: allowPrivilegeEscalation },
      { minimumMinor: 25, check: exceptWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    versions: [
      { minimumMinor: 0, check: runAsNonRoot },
      { minimumMinor: 35, check: exceptUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    versions: [
      { minimumMinor: 23, check: runAsUser },
      { minimumMinor: 35, check: exceptUserNamespace(runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [
      { minimumMinor: 19, check: seccompProfileRestricted, overrides: ['seccompProfile_baseline'] },
      { minimumMinor: 25, check: exceptWindows(seccompProfileRestricted), overrides: ['seccompProfile_baseline'] },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [
      { minimumMinor: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { minimumMinor: 25, check: exceptWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    versions: [{ minimumMinor: 35, check: unmaskedProcMounts('procMount_restricted'), overrides: ['procMount'] }],
  },
];
