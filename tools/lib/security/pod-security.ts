// Pod Security Standards evaluator: the pod-security-admission library's check registry, resolved per level and version.
import { BASELINE_CHECKS } from './checks-baseline.ts';
import { RESTRICTED_CHECKS } from './checks-restricted.ts';
import type { CheckDefinition, CheckFn, PodUnderTest, Violation } from './model.ts';
import { resolvePolicyMinor, type EvaluatedLevel, type PolicyVersion } from './version.ts';

export type { PodUnderTest, Violation } from './model.ts';
export * from './version.ts';

export const POD_SECURITY_CHECKS: readonly CheckDefinition[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];

export interface ResolvedCheck {
  id: string;
  level: EvaluatedLevel;
  check: CheckFn;
  overrides: string[];
}

/** The newest revision of each check at or below the policy minor (checks newer than it do not apply). */
function revisionAt(definition: CheckDefinition, minor: number): ResolvedCheck | undefined {
  const revision = [...definition.versions].reverse().find((v) => v.minimumMinor <= minor);
  return revision && { id: definition.id, level: definition.level, check: revision.check, overrides: revision.overrides ?? [] };
}

/**
 * The checks the library runs for a level and version: every baseline check, and for restricted also the restricted
 * checks, minus the baseline checks a restricted revision overrides at that version.
 */
export function checksFor(level: EvaluatedLevel, version: PolicyVersion | number): ResolvedCheck[] {
  const minor = resolvePolicyMinor(version);
  const resolved = POD_SECURITY_CHECKS.map((d) => revisionAt(d, minor)).filter((c): c is ResolvedCheck => c !== undefined);
  const baseline = resolved.filter((c) => c.level === 'baseline');
  if (level === 'baseline') return baseline;
  const restricted = resolved.filter((c) => c.level === 'restricted');
  const overridden = new Set(restricted.flatMap((c) => c.overrides));
  return [...baseline.filter((c) => !overridden.has(c.id)), ...restricted];
}

/** Every violation of the Pod Security Standards at a level and version; an empty list means admission allows the pod. */
export function evaluatePodSecurity(pod: PodUnderTest, level: EvaluatedLevel, version: PolicyVersion | number): Violation[] {
  const input: PodUnderTest = { metadata: pod.metadata ?? {}, spec: pod.spec ?? {} };
  return checksFor(level, version).flatMap((c) => c.check(input));
}

/** Check ids the restricted level runs instead of a baseline check at this version (for matching fixture names). */
export function overridingChecks(checkId: string, version: PolicyVersion | number): string[] {
  return checksFor('restricted', version).filter((c) => c.overrides.includes(checkId)).map((c) => c.id);
}
