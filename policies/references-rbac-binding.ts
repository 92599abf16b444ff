import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { referenceIndexOf } from '../tools/lib/references/reference-index.ts';
import { didYouMean } from '../tools/lib/references/did-you-mean.ts';

export default defineRule({
  id: 'references/rbac-binding',
  severity: 'error',
  description: 'Every RoleBinding and ClusterRoleBinding names a role and ServiceAccount subjects that exist',
  rationale:
    'A binding to a Role that does not exist grants nothing, and a binding whose ServiceAccount subject is misspelled grants ' +
    'the permissions to nobody: the workload then fails with "forbidden" at run time although the RBAC looks right in review. ' +
    'A RoleBinding can only name a Role of its own namespace; a ClusterRoleBinding only a ClusterRole.',
  howToFix:
    'Name a Role in the binding\'s namespace (or a ClusterRole), and each ServiceAccount by name and namespace:\n\n' +
    '  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: Role\n    name: hodei-worker\n' +
    '  subjects:\n    - kind: ServiceAccount\n      name: hodei-worker\n      namespace: hodei-workers',
  check({ graph, report }) {
    const index = referenceIndexOf(graph);
    for (const binding of [...graph.byKind('RoleBinding'), ...graph.byKind('ClusterRoleBinding')]) {
      const name = describeRef(refOf(binding));
      const clusterWide = binding.kind === 'ClusterRoleBinding';
      const namespace = binding.metadata.namespace ?? 'default';
      const roleRef = (binding as any).roleRef;
      if (roleRef && typeof roleRef.name === 'string' && typeof roleRef.kind === 'string') {
        if (clusterWide && roleRef.kind !== 'ClusterRole') {
          report({ object: binding, path: ['roleRef', 'kind'], message: `${name} binds ${roleRef.kind} "${roleRef.name}", but a ClusterRoleBinding can only bind a ClusterRole` });
        } else if (roleRef.kind === 'Role' || roleRef.kind === 'ClusterRole') {
          const roleNamespace = roleRef.kind === 'Role' ? namespace : undefined;
          if (!index.resolve(roleRef.kind, roleNamespace, roleRef.name)) {
            const scope = roleNamespace ? ` in namespace ${roleNamespace}` : '';
            report({
              object: binding,
              path: ['roleRef', 'name'],
              message: `${name} binds ${roleRef.kind} "${roleRef.name}", which does not exist${scope}: the binding grants nothing` +
                didYouMean(roleRef.name, index.namesOf(roleRef.kind, roleNamespace), `no ${roleRef.kind} exists${scope}`),
            });
          }
        }
      }
      const subjects = (binding as any).subjects;
      (Array.isArray(subjects) ? subjects : []).forEach((subject: any, i: number) => {
        if (subject?.kind !== 'ServiceAccount' || typeof subject.name !== 'string') return;
        const subjectNamespace = typeof subject.namespace === 'string' ? subject.namespace : clusterWide ? undefined : namespace;
        if (!subjectNamespace) {
          report({ object: binding, path: ['subjects', i], message: `${name} names ServiceAccount "${subject.name}" without a namespace, which a ClusterRoleBinding requires` });
          return;
        }
        if (index.resolve('ServiceAccount', subjectNamespace, subject.name)) return;
        report({
          object: binding,
          path: ['subjects', i, 'name'],
          message: `${name} grants to ServiceAccount "${subject.name}", which does not exist in namespace ${subjectNamespace} and nothing in the render produces` +
            didYouMean(subject.name, index.namesOf('ServiceAccount', subjectNamespace), `no ServiceAccount exists in namespace ${subjectNamespace}`),
        });
      });
    }
  },
});
