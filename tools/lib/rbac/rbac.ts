// RBAC as the authorizer reads it: the rules of Roles and ClusterRoles, and who is bound to what.
import type { ClusterGraph } from '../core/graph.ts';
import type { K8sObject } from '../core/types.ts';

export interface PolicyRuleEntry {
  role: K8sObject;
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Every rule of every Role and ClusterRole in the cluster. */
export function policyRules(graph: ClusterGraph): PolicyRuleEntry[] {
  const entries: PolicyRuleEntry[] = [];
  for (const role of [...graph.byKind('ClusterRole'), ...graph.byKind('Role')]) {
    const rules = (role as any).rules;
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: any, index: number) => {
      if (!rule || typeof rule !== 'object') return;
      entries.push({
        role, index,
        apiGroups: strings(rule.apiGroups), resources: strings(rule.resources), verbs: strings(rule.verbs),
        resourceNames: strings(rule.resourceNames), nonResourceURLs: strings(rule.nonResourceURLs),
      });
    });
  }
  return entries;
}

/** Whether a rule covers `group`/`resource` (with subresource, `pods/exec`) for any of `verbs`, wildcards included. */
export function ruleGrants(rule: PolicyRuleEntry, group: string, resource: string, verbs: string[]): boolean {
  if (!rule.apiGroups.some((g) => g === '*' || g === group)) return false;
  const [base] = resource.split('/');
  const resourceCovered = rule.resources.some((r) => r === '*' || r === resource || (resource.includes('/') && r === `${base}/*`) || (!resource.includes('/') && r === `*/${resource}`));
  if (!resourceCovered) return false;
  return rule.verbs.some((v) => v === '*' || verbs.includes(v));
}

export interface BindingEntry {
  binding: K8sObject;
  roleKind: string;
  roleName: string;
  subjects: { kind: string; name: string; namespace?: string; index: number }[];
}

export function bindings(graph: ClusterGraph): BindingEntry[] {
  return [...graph.byKind('ClusterRoleBinding'), ...graph.byKind('RoleBinding')].map((binding) => {
    const spec = binding as any;
    const subjects = (Array.isArray(spec.subjects) ? spec.subjects : [])
      .map((s: any, index: number) => ({ kind: String(s?.kind ?? ''), name: String(s?.name ?? ''), namespace: typeof s?.namespace === 'string' ? s.namespace : undefined, index }));
    return { binding, roleKind: String(spec.roleRef?.kind ?? ''), roleName: String(spec.roleRef?.name ?? ''), subjects };
  });
}

/** Whether a binding grants its role to the ServiceAccount namespace/name (directly or through the system:serviceaccounts groups). */
export function bindsServiceAccount(entry: BindingEntry, namespace: string, name: string): boolean {
  const bindingNamespace = entry.binding.metadata.namespace;
  return entry.subjects.some((s) => {
    if (s.kind === 'ServiceAccount') return s.name === name && (s.namespace ?? bindingNamespace) === namespace;
    if (s.kind === 'Group') return s.name === 'system:serviceaccounts' || s.name === `system:serviceaccounts:${namespace}`;
    if (s.kind === 'User') return s.name === `system:serviceaccount:${namespace}:${name}`;
    return false;
  });
}
