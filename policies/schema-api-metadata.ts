import { defineRule } from '../tools/lib/core/rule.ts';
import { metadataProblems } from '../tools/lib/api-validation/metadata.ts';
import { reportAll } from '../tools/lib/api-validation/report.ts';

export default defineRule({
  id: 'schema/api-metadata',
  severity: 'error',
  description: 'Names, namespaces, label keys and values and annotation keys have the syntax the API server demands of each kind',
  rationale:
    'The OpenAPI schema says only that a name or a label is a string; the API server then checks its syntax (ValidateObjectMeta in ' +
    'k8s.io/kubernetes pkg/apis/*/validation) and refuses the whole object: a Service name must be a DNS-1035 label, a Namespace or ' +
    'StatefulSet name a DNS-1123 label, most other names a DNS-1123 subdomain, a label value at most 63 characters of [A-Za-z0-9_.-] ' +
    'starting and ending alphanumeric, a CronJob name at most 52 characters. One such object stops the Flux Kustomization or Argo CD ' +
    'sync that carries it, so every other change in the same merge waits too. The finding quotes the API server\'s own error text.',
  howToFix:
    'Rename the field the finding points at so it fits the syntax quoted in the message, for example:\n\n' +
    '```yaml\nmetadata:\n  name: web-api            # not Web_API (a Service name is a DNS-1035 label)\n  labels:\n' +
    '    app.kubernetes.io/version: "1.4.2"   # not "v1.4.2+build/7": no "+" or "/" in a label value\n' +
    '  annotations:\n    example.com/owner: team-a         # not "example.com/owner team": no spaces in a key\n```',
  messages: {
    name: '{{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    labelKey: 'label key {{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    labelValue: 'label value {{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    annotationKey: 'annotation key {{field}} is refused by the API server: Invalid value: {{value}}: {{reason}}',
    annotationsTooLong: '{{field}} is refused by the API server: Too long: may not be more than {{limit}} bytes (keys and values take {{size}})',
  },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check({ graph, report }) {
    reportAll(metadataProblems(graph), report);
  },
});
