// Levels and policy versions as the pod-security-admission library resolves them.

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export type EvaluatedLevel = Exclude<PodSecurityLevel, 'privileged'>;
/** 'latest' or 'v1.<minor>'. */
export type PolicyVersion = 'latest' | `v1.${number}`;

/**
 * The newest MinimumVersion any check registers (sysctls gained a v1.37 revision).
 * The library clamps every newer version, and 'latest', to this one.
 */
export const MAX_POLICY_MINOR = 37;

export const LEVEL_RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

export function parseLevel(value: unknown): PodSecurityLevel | undefined {
  return value === 'privileged' || value === 'baseline' || value === 'restricted' ? value : undefined;
}

export function strictestLevel(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

/** Minor of a policy version label value ('latest', 'v1.31'); undefined when the value is not one. */
export function parsePolicyVersion(value: unknown): number | 'latest' | undefined {
  if (value === 'latest') return 'latest';
  if (typeof value !== 'string') return undefined;
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** Minor of a cluster's Kubernetes version ('1.31', 'v1.31.2'); undefined when it is not one. */
export function parseKubernetesMinor(value: string): number | undefined {
  const match = /^v?1\.(0|[1-9][0-9]*)(\.[0-9]+)?([-+].*)?$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

/** The policy minor the library evaluates for a requested version: 'latest' and newer versions clamp to the newest check. */
export function resolvePolicyMinor(version: PolicyVersion | number): number {
  const minor = typeof version === 'number' ? version : parsePolicyVersion(version);
  if (minor === undefined) throw new Error(`"${version}" is not a Pod Security policy version (latest or v1.<minor>)`);
  return minor === 'latest' ? MAX_POLICY_MINOR : Math.min(minor, MAX_POLICY_MINOR);
}
