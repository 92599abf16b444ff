// Localhost profiles without a profile name: admission's checks allow them, but API validation rejects the pod first.
import { containerFix, containersOfSpec, podFix, securityContextOf, subjectOf, type PodSpec, type Violation } from './model.ts';

const PROFILE_FIELDS = [
  { field: 'seccompProfile', check: 'seccompProfile.localhostProfile' },
  { field: 'appArmorProfile', check: 'appArmorProfile.localhostProfile' },
] as const;

function missingProfileName(profile: unknown): boolean {
  const p = profile as Record<string, unknown> | undefined;
  return p?.type === 'Localhost' && (typeof p.localhostProfile !== 'string' || p.localhostProfile === '');
}

export function localhostProfileProblems(spec: PodSpec): Violation[] {
  const problems: Violation[] = [];
  for (const { field, check } of PROFILE_FIELDS) {
    if (missingProfileName(securityContextOf(spec)?.[field])) {
      problems.push({
        check,
        path: ['securityContext', field, 'localhostProfile'],
        message: `the pod sets securityContext.${field}.type=Localhost without localhostProfile; the API server rejects it`,
        fix: podFix({ securityContext: { [field]: { type: 'Localhost', localhostProfile: '<profile file on the node>' } } }),
      });
    }
    for (const c of containersOfSpec(spec)) {
      if (!missingProfileName(securityContextOf(c.container)?.[field])) continue;
      problems.push({
        check,
        container: c.name,
        path: [...c.path, 'securityContext', field, 'localhostProfile'],
        message: `${subjectOf(c)} sets securityContext.${field}.type=Localhost without localhostProfile; the API server rejects it`,
        fix: containerFix(c, { [field]: { type: 'Localhost', localhostProfile: '<profile file on the node>' } }),
      });
    }
  }
  return problems;
}
