// What a namespace's pod-security.kubernetes.io labels demand, as admission reads them, floored at the configured minimum.
import { LEVEL_RANK, MAX_POLICY_MINOR, parseKubernetesMinor, parseLevel, parsePolicyVersion, strictestLevel, type PodSecurityLevel } from './version.ts';

export const PSS_LABEL_PREFIX = 'pod-security.kubernetes.io/';
export const PSS_MODES = ['enforce', 'audit', 'warn'] as const;
export type PssMode = (typeof PSS_MODES)[number];

export function levelLabel(mode: PssMode): string {
  return `${PSS_LABEL_PREFIX}${mode}`;
}

export function versionLabel(mode: PssMode): string {
  return `${PSS_LABEL_PREFIX}${mode}-version`;
}

export interface PodSecurityRequirement {
  level: PodSecurityLevel;
  /** Policy minor the cluster's admission evaluates. */
  minor: number;
  /** Why this level: the label, the configured minimum, or an invalid label. */
  levelSource: 'label' | 'minimum' | 'invalid-label';
}

/**
 * The enforce level and version for pods in a namespace. Admission falls back to restricted:latest when the enforce
 * labels cannot be parsed; 'latest' (and any newer pinned version) means the newest policy the cluster's own
 * Kubernetes minor knows, which the library caps at its newest check.
 */
export function enforcedRequirement(
  labels: Record<string, string>,
  cluster: { kubernetesVersion: string; podSecurityMinimum: PodSecurityLevel },
): PodSecurityRequirement {
  const clusterMinor = Math.min(parseKubernetesMinor(cluster.kubernetesVersion) ?? MAX_POLICY_MINOR, MAX_POLICY_MINOR);
  const rawLevel = labels[levelLabel('enforce')];
  const rawVersion = labels[versionLabel('enforce')];
  const labelLevel = rawLevel === undefined ? undefined : parseLevel(rawLevel);
  const labelVersion = rawVersion === undefined ? 'latest' : parsePolicyVersion(rawVersion);
  if ((rawLevel !== undefined && labelLevel === undefined) || labelVersion === undefined) {
    return { level: 'restricted', minor: clusterMinor, levelSource: 'invalid-label' };
  }
  const minor = labelVersion === 'latest' ? clusterMinor : Math.min(labelVersion, clusterMinor);
  const declared = labelLevel ?? 'privileged';
  const level = strictestLevel(declared, cluster.podSecurityMinimum);
  const levelSource = labelLevel !== undefined && LEVEL_RANK[labelLevel] >= LEVEL_RANK[cluster.podSecurityMinimum] ? 'label' : 'minimum';
  return { level, minor, levelSource };
}
