// The rule API: a rule is metadata plus a check over one cluster's graph, shaped like an ESLint rule.
import type { ClusterSettings, FieldPath, K8sObject, Severity } from './types.ts';
import type { ClusterGraph } from './graph.ts';

export interface RelatedPlace {
  message: string;
  object?: K8sObject;
  path?: FieldPath;
}

export interface ReportDescriptor {
  object?: K8sObject;
  path?: FieldPath;
  message: string;
  fix?: string;
  related?: RelatedPlace[];
  /** Overrides the configured severity for this one finding (rarely needed). */
  severity?: Severity;
  /** Extra identity for the fingerprint when one object/path can carry several distinct findings. */
  key?: string;
  /**
   * For findings about the cluster as a whole that are shown on whichever object matters most today:
   * the fingerprint uses this instead of object and path, so the finding stays "unchanged" when that object changes.
   */
  identity?: string;
}

export interface RuleContext<Options = Record<string, unknown>> {
  cluster: ClusterSettings;
  graph: ClusterGraph;
  options: Options;
  report(descriptor: ReportDescriptor): void;
}

export interface RuleDocs {
  /** One line: what the rule checks. */
  description: string;
  /** One paragraph: why it matters. */
  rationale: string;
  /** How to fix a finding, with an example when it helps. */
  howToFix: string;
}

export interface Rule<Options = Record<string, unknown>> extends RuleDocs {
  /** Stable kebab-case id grouped by area: `area/name`. */
  id: string;
  severity: Severity;
  /** JSON Schema (ajv) for this rule's options object. */
  optionsSchema?: Record<string, unknown>;
  defaultOptions?: Options;
  check(ctx: RuleContext<Options>): void;
}

export function defineRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(rule.id)) throw new Error(`rule id "${rule.id}" must look like area/name`);
  return rule;
}

// The identity helpers are part of the rule API: rules name objects the way every report does.
export { describeObject, describeRef, refOf } from './identity.ts';
