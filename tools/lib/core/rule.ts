// The rule API: a rule is metadata plus a check over one cluster's graph, shaped like an ESLint rule.
import type { ClusterSettings, FieldPath, K8sObject, Severity } from './types.ts';
import type { ClusterGraph } from './graph.ts';

export interface RelatedPlace {
  message: string;
  object?: K8sObject;
  path?: FieldPath;
}

/** Values for a message's `{{placeholders}}`. */
export type MessageData = Record<string, string | number | boolean>;

/** A rule says what it found by naming an entry of its `messages` table (as ESLint rules do); `message` is for engine findings. */
export type ReportMessage = { messageId: string; data?: MessageData; message?: undefined } | { message: string; messageId?: undefined; data?: undefined };

export type ReportDescriptor = ReportMessage & {
  object?: K8sObject;
  path?: FieldPath;
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
};

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
  /** Message templates by id; `{{name}}` is replaced by `data.name` when the rule reports `{ messageId, data }`. */
  messages?: Record<string, string>;
  check(ctx: RuleContext<Options>): void;
}

export function defineRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(rule.id)) throw new Error(`rule id "${rule.id}" must look like area/name`);
  for (const id of Object.keys(rule.messages ?? {})) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(id)) throw new Error(`rule ${rule.id}: message id "${id}" must be camelCase`);
  }
  return rule;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholder names a message template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Fills a template's placeholders; a placeholder without data is the rule's bug, so it throws. */
export function interpolate(template: string, data: MessageData = {}): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    if (!(name in data)) throw new Error(`message "${template}" needs data.${name}`);
    return String(data[name]);
  });
}

/** The text of a report: its messageId resolved against the rule's messages table, or its plain message. */
export function messageOf(rule: Pick<Rule<any>, 'id' | 'messages'>, descriptor: ReportMessage): string {
  if (descriptor.messageId === undefined) return descriptor.message;
  const template = rule.messages?.[descriptor.messageId];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${descriptor.messageId}"`);
  return interpolate(template, descriptor.data);
}

// The identity helpers are part of the rule API: rules name objects the way every report does.
export { describeObject, describeRef, refOf } from './identity.ts';
