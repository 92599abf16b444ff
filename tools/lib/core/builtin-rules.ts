// Findings the engine itself raises (not from policies/): documented like rules so --explain and SARIF know them.
import type { RuleDocs } from './rule.ts';
import type { Severity } from './types.ts';

export interface BuiltinRule extends RuleDocs {
  id: string;
  severity: Severity;
}

export const BUILTIN_RULES: BuiltinRule[] = [
  {
    id: 'render/failed',
    severity: 'error',
    description: 'An entry point could not be rendered (kustomize error, malformed YAML, duplicate keys, missing path, a Helm chart helm refuses to render)',
    rationale:
      'If kustomize cannot build an overlay, the reconciler cannot apply it either: Flux marks the Kustomization not ready and Argo CD ' +
      'shows a ComparisonError, and nothing in that folder is deployed or checked. Every other cluster is still checked.',
    howToFix:
      'Run the same build locally (`kubectl kustomize <path>`, or for a Helm release `helm template <release> <chart> -f values.yaml`), ' +
      'fix the file and line named in the message (for Helm: the values, a valuesFrom key, a dependsOn), and run the check again.',
  },
  {
    id: 'render/outside-repository',
    severity: 'error',
    description: 'An entry point, kustomization reference or symlink leads outside the repository; it is refused and never read',
    rationale:
      'Flux builds a Kustomization from its source artifact and Argo CD from its repository checkout: `path: ../../outside`, a ' +
      '`resources:` entry climbing out with `..`, or a symlink to a file elsewhere on the machine does not exist for them, so the ' +
      'reconciler fails where the checker would have happily checked files that are never deployed (or read secrets it has no business reading). ' +
      'The checker follows symlinks with realpath before deciding, names the line that points out, and renders nothing of that entry point.',
    howToFix:
      'Keep everything an entry point builds from inside the repository: copy or move the file in, or reference another repository ' +
      'the way the reconciler does (a GitRepository and its own Kustomization, or a remote base):\n\n' +
      '  # kustomization.yaml\n' +
      '  resources:\n' +
      '    - ../../base                      # inside the repository\n' +
      '    - https://github.com/org/shared//base?ref=v1.2.0   # another repository, pinned\n\n' +
      'Replace a symlink to a path outside with the file itself.',
  },
  {
    id: 'render/duplicate-object',
    severity: 'error',
    description: 'Two entry points of one cluster render the same object (kind, namespace, name)',
    rationale:
      'Flux refuses to apply an object another Kustomization already manages, and two Argo CD Applications that own the same ' +
      'object fight over it forever (OutOfSync, then SharedResourceWarning). Whichever copy wins, what the checker sees is not what runs.',
    howToFix: 'Keep the object in one place: move it to a shared base both overlays include once, or rename one of them.',
  },
  {
    id: 'render/namespace-not-specified',
    severity: 'error',
    description: 'A Flux Kustomization applies a namespaced object that has no namespace (none in the object, the kustomization or spec.targetNamespace)',
    rationale:
      'kubectl puts such an object in `default` and Argo CD in the Application\'s destination namespace, but Flux\'s server-side apply ' +
      'sends it without one and fails with "<Kind>/<name> namespace not specified" (fluxcd/pkg ssa errors.go): nothing of that ' +
      'Kustomization is applied. The other rules still judge the object as if it were in `default`.',
    howToFix:
      'Give the object a namespace, in the object or for the whole folder in its kustomization.yaml, or set it in the Flux Kustomization:\n\n' +
      '  apiVersion: kustomize.toolkit.fluxcd.io/v1\n' +
      '  kind: Kustomization\n' +
      '  metadata:\n' +
      '    name: apps\n' +
      '    namespace: flux-system\n' +
      '  spec:\n' +
      '    targetNamespace: my-app   # every namespaced object of the build lands here\n\n' +
      'A config waiver (`{rule: render/namespace-not-specified, object: "ConfigMap default/name", reason, expires}`) hides the finding; Flux still fails.',
  },
  {
    id: 'render/malformed-object',
    severity: 'error',
    description: 'A rendered object lacks the shape Kubernetes requires (apiVersion, kind, metadata.name, lists and maps where the API has them)',
    rationale:
      'kustomize renders objects the API server would refuse: a ConfigMap without apiVersion, `apiVersion: 1`, `containers:` written as a map, ' +
      'an env entry without a name. Such an object is never applied, so no other rule can judge it; it is reported once, at the field that is ' +
      'wrong, and left out of the cluster\'s graph while every other object is still checked.',
    howToFix:
      'Fix the field named in the message at the file and line shown, for example:\n\n' +
      '  apiVersion: v1          # a string, not missing and not a number\n' +
      '  kind: ConfigMap\n' +
      '  metadata:\n' +
      '    name: settings        # every object needs a name\n' +
      '  data:\n' +
      '    PORT: "8080"          # ConfigMap values are strings: quote numbers\n\n' +
      'A config waiver (`{rule: render/malformed-object, object: "ConfigMap ns/name", reason, expires}`) hides the finding, but the object ' +
      'stays out of every other rule and the API server still rejects it; the annotation waiver does not apply, since the object is not read.',
  },
  {
    id: 'policy/expired-waiver',
    severity: 'error',
    description: 'A waiver (config or annotation) has passed its expiry date',
    rationale: 'Waivers are loans, not gifts: an exception without an end date becomes the rule. When a waiver expires the finding it hid is shown again, and the stale waiver itself blocks until someone decides.',
    howToFix: 'Fix the finding the waiver covered and delete the waiver, or renew it with a new reason and expiry date (YYYY-MM-DD).',
  },
  {
    id: 'policy/invalid-waiver',
    severity: 'error',
    description: 'A policy-check.dev/waivers annotation entry cannot be used (unreadable, no rule id, a reason under 10 characters, not a real date, or beyond waiverPolicy.maxLifetimeDays)',
    rationale:
      'A waiver is validated exactly like one in policies/config.yaml. One the checker cannot use waives nothing; saying so, at the entry\'s line, ' +
      'beats silently reporting the findings it was meant to cover, and a date like 9999-99-99 can never mean "forever".',
    howToFix:
      "Write the annotation value as a YAML list, each entry with a rule id, a reason of at least 10 characters and a real date within the configured lifetime: `policy-check.dev/waivers: |\n  - rule: security/read-only-root-fs\n    reason: why this is acceptable\n    expires: 2027-01-31`",
  },
  {
    id: 'policy/rule-failed',
    severity: 'error',
    description: 'A rule crashed on an object (or, when no single object explains it, on a whole cluster)',
    rationale:
      'A crashed rule has checked nothing; failing loudly keeps a bug from looking like a clean bill of health. The checker re-runs a ' +
      'crashed rule without halves of the objects until it finds the object(s) that make it throw, names each of them at its file:line, ' +
      'and keeps the rule\'s findings on every other object.',
    howToFix: 'Report the message with the cluster name; waive the rule per cluster in policies/config.yaml (`severity: off`) only while it is being fixed.',
  },
];
