import { defineRule } from '../tools/lib/core/rule.ts';
import { limitRangeProblems, limitRangerProblems } from '../tools/lib/api-validation/limit-range.ts';
import { reportAll } from '../tools/lib/api-validation/report.ts';

export default defineRule({
  id: 'schema/limit-range',
  severity: 'error',
  description: 'Every LimitRange is one the API server accepts, and no workload has pods the LimitRanger admission would refuse',
  rationale:
    'The API server refuses a LimitRange whose default exceeds its max, whose defaultRequest exceeds its default or max, or whose min ' +
    'exceeds max, default or defaultRequest. A valid LimitRange can still make a workload impossible: LimitRanger fills in missing ' +
    'requests and limits from the Container item, then refuses every pod whose containers (Container type) or whose sum of containers ' +
    '(Pod type) exceed max or fall below min. The Deployment itself is accepted, so the merge looks fine, but its ReplicaSet can never ' +
    'create a pod; the only trace is a FailedCreate event. This rule finds both, with the API server\'s and the admission plugin\'s own texts.',
  howToFix:
    'Make the LimitRange consistent (min <= defaultRequest <= default <= max), and keep each workload inside it: lower the container ' +
    'limits the finding names, or raise the LimitRange max for that namespace.\n\n' +
    '```yaml\nspec:\n  limits:\n    - type: Container\n      max: { cpu: "1", memory: 1Gi }\n      default: { cpu: 500m, memory: 512Mi }       # not above max\n' +
    '      defaultRequest: { cpu: 100m, memory: 128Mi } # not above default\n    - type: Pod\n      max: { cpu: "2", memory: 2Gi }             # at least the sum of one pod\'s containers\n```',
  messages: {
    limitRangeItem: '{{field}} is refused by the API server: Invalid value: {{reason}}',
    podTypeDefault: "{{field}} is refused by the API server: Forbidden: may not be specified when `type` is 'Pod'",
    limitRanger: 'LimitRanger admission refuses every pod of this {{kind}}: {{reason}} ({{limitRange}} {{item}}), so {{creator}}',
  },
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  defaultOptions: {},
  check({ graph, report }) {
    reportAll(limitRangeProblems(graph), report);
    reportAll(limitRangerProblems(graph), report);
  },
});
