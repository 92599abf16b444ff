// The documented allow-list the RBAC rules take as an option: each entry names the object (globs allowed) and says why.
import { minimatch } from 'minimatch';
import { describeRef, refOf } from '../core/rule.ts';
import type { K8sObject } from '../core/types.ts';

export interface AllowEntry {
  /** `ClusterRole name`, `Role namespace/name`, `ClusterRoleBinding name`, `RoleBinding namespace/name`; globs allowed. */
  object: string;
  /** Which permissions the entry allows; all of them when absent. */
  permissions?: string[];
  reason: string;
}

export function allowListSchema(permissions?: readonly string[]): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    type: 'object',
    additionalProperties: false,
    required: ['object', 'reason'],
    properties: {
      object: { type: 'string', minLength: 1 },
      reason: { type: 'string', minLength: 1 },
      ...(permissions ? { permissions: { type: 'array', items: { enum: [...permissions] }, minItems: 1 } } : {}),
    },
  };
  return { type: 'array', items: entry };
}

export function isAllowed(allow: AllowEntry[], object: K8sObject, permission?: string): boolean {
  const descriptor = describeRef(refOf(object));
  return allow.some((entry) => minimatch(descriptor, entry.object) && (!permission || !entry.permissions || entry.permissions.includes(permission)));
}
