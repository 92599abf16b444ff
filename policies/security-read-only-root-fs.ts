import { stringify } from 'yaml';
import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { containersOf } from '../tools/lib/core/graph.ts';

const KIND_NAMES = { initContainers: 'init container', containers: 'container', ephemeralContainers: 'ephemeral container' } as const;

export default defineRule({
  id: 'security/read-only-root-fs',
  // Seeds 003 and 004 list a read-only root filesystem among the required controls; clusters may lower it in config.
  severity: 'error',
  description: 'Every container sets securityContext.readOnlyRootFilesystem: true',
  rationale:
    'A writable root filesystem lets an attacker who gets code execution drop binaries, edit configuration or plant ' +
    'persistence inside the container, and lets the application itself drift from the image that was reviewed. It is not ' +
    'part of the Pod Security Standards, but the hardening checklists of the Hodei Jobs workers and the A4CO services require ' +
    'it: writes belong in an emptyDir or a volume, where they are explicit and bounded.',
  howToFix:
    'Set the flag and mount writable paths the process needs as emptyDir volumes:\n\n' +
    '  containers:\n' +
    '  - name: app\n' +
    '    securityContext:\n' +
    '      readOnlyRootFilesystem: true\n' +
    '    volumeMounts:\n' +
    '    - name: tmp\n' +
    '      mountPath: /tmp\n' +
    '  volumes:\n' +
    '  - name: tmp\n' +
    '    emptyDir: {}\n\n' +
    'Severity is configurable per cluster (rules: {security/read-only-root-fs: {severity: warning}} in policies/config.yaml).',
  messages: {
    notSet: '{{container}} does not set securityContext.readOnlyRootFilesystem; it must be true',
    notTrue: '{{container}} sets securityContext.readOnlyRootFilesystem to {{value}}; it must be true',
  },
  check({ graph, report }) {
    for (const template of graph.podTemplates) {
      for (const { container, kind, path } of containersOf(template)) {
        const value = container.securityContext?.readOnlyRootFilesystem;
        if (value === true) continue;
        const name = String(container.name ?? '');
        const containerText = `${KIND_NAMES[kind]} "${name}" of ${describeRef(refOf(template.owner))}`;
        report({
          object: template.owner,
          path: [...path, 'securityContext', 'readOnlyRootFilesystem'],
          ...(value === undefined
            ? { messageId: 'notSet', data: { container: containerText } }
            : { messageId: 'notTrue', data: { container: containerText, value: JSON.stringify(value) } }),
          fix: stringify({ [kind]: [{ name, securityContext: { readOnlyRootFilesystem: true } }] }, { lineWidth: 0, indentSeq: false }).trimEnd(),
        });
      }
    }
  },
});
