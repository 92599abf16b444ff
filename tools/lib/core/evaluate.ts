// Stage "evaluate": every enabled rule over one cluster's graph -> findings that name an object and a field.
// Where that field is written (file:line) is the next stage's job (locate.ts).
import type { ClusterSettings, FieldPath, K8sObject, Severity, SourceLocation } from './types.ts';
import type { RelatedPlace, ReportDescriptor, Rule } from './rule.ts';
import { refOf } from './identity.ts';
import type { ClusterGraph } from './graph.ts';
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
    const report = (d: ReportDescriptor) => {
      const object = d.object ? refOf(d.object) : undefined;
      const finding: EvaluatedFinding = {
        rule: rule.id,
        severity: d.severity ?? severity,
        cluster,
        message: d.message,
        fingerprint: d.identity !== undefined ? fingerprintOf(rule.id, cluster, undefined, undefined, d.identity) : fingerprintOf(rule.id, cluster, object, d.path, d.key),
      };
      if (d.object) finding.subject = d.object;
      if (d.path && d.path.length > 0) finding.path = d.path;
      if (d.fix) finding.fix = d.fix;
      if (d.related?.length) finding.related = d.related;
      if (scope) finding.scope = scope;
      findings.push(finding);
    };
    try {
      rule.check({ cluster: settings, graph, options: ruleOptions(config, rule, cluster), report });
    } catch (error) {
      findings.push({
        rule: 'policy/rule-failed',
        severity: 'error',
        cluster,
        message: `rule ${rule.id} failed on this cluster: ${(error as Error).message}`,
        fingerprint: fingerprintOf('policy/rule-failed', cluster, undefined, undefined, rule.id),
      });
    }
  }
  return findings;
}
