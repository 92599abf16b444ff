// How code scanning ranks a rule: SARIF `properties.security-severity`, a CVSS-like score from 0.1 to 10.
// GitHub buckets it as low (0.1-3.9), medium (4.0-6.9), high (7.0-8.9) and critical (9.0+), and uses it only
// for rules tagged `security`. The one mapping, documented in docs/code-scanning.md (a test keeps the table equal).
import type { Severity } from '../core/types.ts';

/** Areas whose findings are an attack surface (privileges, credentials, who may talk to whom, what runs). */
export const SECURITY_AREAS: readonly string[] = ['security', 'rbac', 'network', 'images'];

/** Scores by area kind and default severity; the table in the docs is written from this. */
export const SECURITY_SEVERITY = {
  security: { error: 8.0, warning: 5.0, info: 2.0 },
  other: { error: 5.0, warning: 3.0, info: 1.0 },
} as const satisfies Record<string, Record<Severity, number>>;

export const areaOf = (ruleId: string): string => ruleId.split('/')[0];

export const isSecurityRule = (ruleId: string): boolean => SECURITY_AREAS.includes(areaOf(ruleId));

/** The score as SARIF wants it: a string with one decimal, e.g. "8.0". */
export function securitySeverity(ruleId: string, severity: Severity): string {
  return SECURITY_SEVERITY[isSecurityRule(ruleId) ? 'security' : 'other'][severity].toFixed(1);
}

/** SARIF `properties.tags`: GitHub filters alerts by them, and `security` makes it read security-severity. */
export function ruleTags(ruleId: string): string[] {
  return [...new Set(['kubernetes', areaOf(ruleId), ...(isSecurityRule(ruleId) ? ['security'] : [])])];
}
