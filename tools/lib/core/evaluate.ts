// Stage "evaluate": every enabled rule over one cluster's graph -> findings that name an object and a field.
// Where that field is written (file:line) is the next stage's job (locate.ts).
import type { ClusterSettings, FieldPath, K8sObject, Severity, SourceLocation } from './types.ts';
import type { RelatedPlace, ReportDescriptor, Rule } from './rule.ts';
import { describeObject, refOf } from './identity.ts';
import { messageOf } from './rule.ts';
import { ClusterGraph } from './graph.ts';
import { isolateFailure } from './isolate-failure.ts';
import { ruleOptions, ruleSeverity, type CheckConfig } from './config.ts';
import { fingerprintOf } from './fingerprint.ts';

/** A finding before it is located: it points at an object and a path inside it. */
export interface EvaluatedFinding {
  rule: string;
  severity: Severity;
  cluster: string;
  subject?: K8sObject;
  path?: FieldPath;
  message: string;
  /** The entry of the rule's messages table the message came from. */
  messageId?: string;
  fix?: string;
  related?: RelatedPlace[];
  fingerprint: string;
  /** Known without locating (a render problem names its file). */
  location?: SourceLocation;
  /** The rule's `paths` / `exclude` scopes from the config, applied once the file is known. */
  scope?: { paths?: string[]; exclude?: string[] };
}

export interface EvaluateInput {
  settings: ClusterSettings;
  graph: ClusterGraph;
  rules: Rule<any>[];
  config: CheckConfig;
}

export function evaluateRules({ settings, graph, rules, config }: EvaluateInput): EvaluatedFinding[] {
  const findings: EvaluatedFinding[] = [];
  const cluster = settings.name;
  for (const rule of rules) {
    const severity = ruleSeverity(config, rule, cluster);
    if (severity === 'off') continue;
    const configured = config.rules[rule.id];
    const scope = configured?.paths || configured?.exclude ? { paths: configured.paths, exclude: configured.exclude } : undefined;
    const options = ruleOptions(config, rule, cluster);
    const reportInto = (out: EvaluatedFinding[]) => (d: ReportDescriptor) => {
      const object = d.object ? refOf(d.object) : undefined;
      const finding: EvaluatedFinding = {
        rule: rule.id,
        severity: d.severity ?? severity,
        cluster,
        message: messageOf(rule, d),
        fingerprint: d.identity !== undefined ? fingerprintOf(rule.id, cluster, undefined, undefined, d.identity) : fingerprintOf(rule.id, cluster, object, d.path, d.key),
      };
      if (d.messageId !== undefined) finding.messageId = d.messageId;
      if (d.object) finding.subject = d.object;
      if (d.path && d.path.length > 0) finding.path = d.path;
      if (d.fix) finding.fix = d.fix;
      if (d.related?.length) finding.related = d.related;
      if (scope) finding.scope = scope;
      out.push(finding);
    };
    const run = (on: ClusterGraph, report: (d: ReportDescriptor) => void) => rule.check({ cluster: settings, graph: on, options, report });
    const collected: EvaluatedFinding[] = [];
    try {
      run(graph, reportInto(collected));
      findings.push(...collected);
    } catch (error) {
      findings.push(...failedRuleFindings(rule, cluster, graph, error, run, reportInto));
    }
  }
  return findings;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A crashed rule: its culprit objects named (located like any finding), and its findings on every other object kept. */
function failedRuleFindings(
  rule: Rule<any>,
  cluster: string,
  graph: ClusterGraph,
  error: unknown,
  run: (on: ClusterGraph, report: (d: ReportDescriptor) => void) => void,
  reportInto: (out: EvaluatedFinding[]) => (d: ReportDescriptor) => void,
): EvaluatedFinding[] {
  const isolation = isolateFailure(cluster, graph.objects, (on) => run(on, () => {}));
  const findings: EvaluatedFinding[] = [];
  let rest = isolation.rest;
  if (rest) {
    try {
      run(new ClusterGraph(cluster, rest), reportInto(findings));
    } catch {
      findings.length = 0;
      rest = undefined;
    }
  }
  for (const { rendered, error: culpritError } of isolation.culprits) {
    findings.push({
      rule: 'policy/rule-failed',
      severity: 'error',
      cluster,
      subject: rendered.object,
      message: `rule ${rule.id} failed on ${describeObject(rendered.object)}: ${errorText(culpritError)}; ${rest ? "the rule's findings on the other objects are kept" : 'the rule checked nothing on this cluster'}`,
      fingerprint: fingerprintOf('policy/rule-failed', cluster, refOf(rendered.object), undefined, rule.id),
    });
  }
  if (!rest) {
    findings.push({
      rule: 'policy/rule-failed',
      severity: 'error',
      cluster,
      message: `rule ${rule.id} failed on this cluster: ${errorText(isolation.error ?? error)}`,
      fingerprint: fingerprintOf('policy/rule-failed', cluster, undefined, undefined, rule.id),
    });
  }
  return findings;
}
