import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { policyRules } from '../tools/lib/rbac/rbac.ts';
import { allowListSchema, isAllowed, type AllowEntry } from '../tools/lib/rbac/allow-list.ts';

interface Options {
  allow: AllowEntry[];
}

const WHAT = {
  verbs: (value: string) => (value === '*' ? 'every verb' : `verbs matching "${value}"`),
  resources: (value: string) =>
    value === '*' ? 'every resource' : value.endsWith('/*') ? `every subresource of ${value.slice(0, -2)}` : value.startsWith('*/') ? `the ${value.slice(2)} subresource of every resource` : `resources matching "${value}"`,
  apiGroups: () => 'every API group',
  nonResourceURLs: () => 'every non-resource URL',
} as const;

export default defineRule<Options>({
  id: 'rbac/no-wildcards',
  severity: 'error',
  description: 'Roles and ClusterRoles name their verbs, resources and API groups; no "*"',
  rationale:
    'A wildcard grants today\'s permissions and every one added later: `resources: ["*"]` covers Secrets, `verbs: ["*"]` ' +
    'covers escalate, bind and impersonate, and `apiGroups: ["*"]` covers every CRD installed next year. Seed 003\'s ' +
    'worker Role is the model: the server may get, list, watch, create and delete pods, read pods/log and pods/status, ' +
    'and nothing else. Least privilege can only be reviewed when it is spelled out.',
  howToFix:
    'List what the workload calls (kubectl auth can-i --list --as=system:serviceaccount:NS:NAME, or the audit log, shows it):\n\n' +
    '  rules:\n' +
    '  - apiGroups: [""]\n' +
    '    resources: ["pods"]\n' +
    '    verbs: ["get", "list", "watch", "create", "delete"]\n' +
    '  - apiGroups: [""]\n' +
    '    resources: ["pods/log", "pods/status"]\n' +
    '    verbs: ["get"]\n\n' +
    'A role that truly needs a wildcard (an operator managing its own CRD group) goes in the option ' +
    '`allow: [{object: "ClusterRole name", reason: "..."}]`.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { allow: allowListSchema() } },
  defaultOptions: { allow: [] },
  check({ graph, options, report }) {
    for (const rule of policyRules(graph)) {
      if ((rule.role as any).aggregationRule || isAllowed(options.allow, rule.role)) continue;
      const fields = { verbs: rule.verbs, resources: rule.resources, apiGroups: rule.apiGroups, nonResourceURLs: rule.nonResourceURLs };
      for (const [field, values] of Object.entries(fields) as [keyof typeof WHAT, string[]][]) {
        const raw = (rule.role as any).rules[rule.index][field] as unknown[];
        values.forEach((value) => {
          const wildcard = field === 'resources' || field === 'verbs' ? value.includes('*') : value === '*';
          if (!wildcard) return;
          report({
            object: rule.role,
            path: ['rules', rule.index, field, raw.indexOf(value)],
            key: `${field}:${value}`,
            message: `${describeRef(refOf(rule.role))} rules[${rule.index}] grants ${WHAT[field](value)} ("${value}" in ${field}); name what it needs`,
          });
        });
      }
    }
  },
});
