import { defineRule, describeObject } from '../tools/lib/core/rule.ts';
import type { FieldPath } from '../tools/lib/core/types.ts';
import type { PodTemplate } from '../tools/lib/core/graph.ts';
import { evaluatePodSecurity, type Violation } from '../tools/lib/security/pod-security.ts';
import { localhostProfileProblems } from '../tools/lib/security/api-validation.ts';
import { enforcedRequirement, type PodSecurityRequirement } from '../tools/lib/security/namespace.ts';

/** Violation paths are relative to the pod spec, or to the pod for 'metadata' paths; findings need them inside the owner. */
function ownerPath(template: PodTemplate, path: FieldPath): FieldPath {
  return path[0] === 'metadata' ? [...template.metadataPath, ...path.slice(1)] : [...template.specPath, ...path];
}

function fixFor(template: PodTemplate, violation: Violation): string | undefined {
  if (!violation.fix) return undefined;
  const root = violation.path[0] === 'metadata' ? template.metadataPath.slice(0, -1) : template.specPath;
  const where = root.length ? `under ${root.join('.')} of ${describeObject(template.owner)}` : `in ${describeObject(template.owner)}`;
  return `# ${where}\n${violation.fix}`;
}

function levelNote(requirement: PodSecurityRequirement, namespace: string): string {
  if (requirement.levelSource === 'label') return `namespace ${namespace} enforces ${requirement.level}`;
  if (requirement.levelSource === 'invalid-label') return `namespace ${namespace} has an unparseable enforce label, which admission treats as restricted`;
  return `the cluster minimum is ${requirement.level}`;
}

export default defineRule({
  id: 'security/pod-security',
  severity: 'error',
  description: 'Every pod template meets the Pod Security Standard its namespace enforces (never below the configured minimum)',
  rationale:
    'A container that may run as UID 0, escalate privileges, keep dangerous capabilities, or share the node\'s namespaces turns ' +
    'any code-execution bug into a node compromise. The Pod Security Standards are the baseline every Kubernetes cluster ' +
    'enforces through the pod-security-admission controller; this rule runs the same checks with the same semantics (pod vs ' +
    'container fields, init and ephemeral containers, Windows exemptions, version-specific revisions) so a pod that admission ' +
    'would reject, or that would only pass because its namespace is under-labelled, fails in the pull request instead of at deploy time.',
  howToFix:
    'Set the fields the finding names. A pod spec that passes restricted:\n\n' +
    '  securityContext:\n' +
    '    runAsNonRoot: true\n' +
    '    seccompProfile:\n' +
    '      type: RuntimeDefault\n' +
    '  containers:\n' +
    '  - name: app\n' +
    '    securityContext:\n' +
    '      allowPrivilegeEscalation: false\n' +
    '      capabilities:\n' +
    '        drop: ["ALL"]\n\n' +
    'Host namespaces, hostPath and hostPort, privileged containers and unsafe sysctls have no restricted-compatible form: ' +
    'move such workloads to a namespace labelled pod-security.kubernetes.io/enforce: privileged or baseline, which the ' +
    'cluster minimum (podSecurityMinimum in policies/config.yaml) must allow.',
  messages: {
    violation: '{{check}} (Pod Security {{level}}, v1.{{minor}}): {{problem}}; {{levelNote}}',
    localhostProfile: '{{check}}: {{problem}}',
  },
  check({ graph, cluster, report }) {
    for (const template of graph.podTemplates) {
      const requirement = enforcedRequirement(graph.namespaceLabels(template.namespace), cluster);
      const pod = { metadata: { annotations: template.annotations }, spec: template.spec };
      const violations = requirement.level === 'privileged' ? [] : evaluatePodSecurity(pod, requirement.level, requirement.minor);
      for (const violation of violations) {
        report({
          object: template.owner,
          path: ownerPath(template, violation.path),
          messageId: 'violation',
          data: { check: violation.check, level: requirement.level, minor: requirement.minor, problem: violation.message, levelNote: levelNote(requirement, template.namespace) },
          fix: fixFor(template, violation),
          key: violation.check,
        });
      }
      for (const problem of localhostProfileProblems(template.spec)) {
        report({
          object: template.owner,
          path: ownerPath(template, problem.path),
          messageId: 'localhostProfile',
          data: { check: problem.check, problem: problem.message },
          fix: fixFor(template, problem),
          key: problem.check,
        });
      }
    }
  },
});
