// Stage "evaluate" + "locate": every enabled rule over one cluster's graph -> located findings.
import { minimatch } from 'minimatch';
import type { ClusterSettings, Finding, K8sObject, RenderedObject } from './types.ts';
import type { Rule, ReportDescriptor } from './rule.ts';
import { messageOf, refOf } from './rule.ts';
import type { ClusterGraph } from './graph.ts';
import { ruleOptions, ruleSeverity, type CheckConfig } from './config.ts';
import { locate, type SourceReader } from './locate.ts';
import { fingerprintOf } from './fingerprint.ts';

export interface EvaluateInput {
  cluster: ClusterSettings;
  graph: ClusterGraph;
  rules: Rule<any>[];
  config: CheckConfig;
  read: SourceReader;
}

function inScope(file: string | undefined, paths: string[] | undefined, exclude: string[] | undefined): boolean {
  if (!file) return true;
  if (paths && paths.length > 0 && !paths.some((p) => minimatch(file, p, { dot: true }))) return false;
  return !(exclude ?? []).some((p) => minimatch(file, p, { dot: true }));
}

export function locateObject(graph: ClusterGraph, read: SourceReader, object: K8sObject | undefined, path?: (string | number)[]) {
  const rendered: RenderedObject | undefined = object ? graph.renderedOf(object) : undefined;
  return rendered ? locate(rendered, path, read) : undefined;
}

export function evaluateCluster({ cluster, graph, rules, config, read }: EvaluateInput): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = ruleSeverity(config, rule, cluster.name);
    if (severity === 'off') continue;
    const settings = config.rules[rule.id];
    const report = (d: ReportDescriptor) => {
      const location = locateObject(graph, read, d.object, d.path);
      if (!inScope(location?.file, settings?.paths, settings?.exclude)) return;
      const object = d.object ? refOf(d.object) : undefined;
      const finding: Finding = {
        rule: rule.id,
        severity: d.severity ?? severity,
        cluster: cluster.name,
        message: messageOf(rule, d),
        fingerprint: d.identity !== undefined ? fingerprintOf(rule.id, cluster.name, undefined, undefined, d.identity) : fingerprintOf(rule.id, cluster.name, object, d.path, d.key),
      };
      if (d.messageId !== undefined) finding.messageId = d.messageId;
      if (object) finding.object = object;
      if (d.path && d.path.length > 0) finding.path = d.path;
      if (d.fix) finding.fix = d.fix;
      if (location) finding.location = location;
      if (d.related?.length) {
        finding.related = d.related.map((r) => {
          const related: NonNullable<Finding['related']>[number] = { message: r.message };
          const where = locateObject(graph, read, r.object, r.path);
          if (where) related.location = where;
          if (r.object) related.object = refOf(r.object);
          return related;
        });
      }
      findings.push(finding);
    };
    try {
      rule.check({ cluster, graph, options: ruleOptions(config, rule, cluster.name), report });
    } catch (error) {
      findings.push({
        rule: 'policy/rule-failed',
        severity: 'error',
        cluster: cluster.name,
        message: `rule ${rule.id} failed on this cluster: ${(error as Error).message}`,
        fingerprint: fingerprintOf('policy/rule-failed', cluster.name, undefined, undefined, rule.id),
      });
    }
  }
  return findings;
}
