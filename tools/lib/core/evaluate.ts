// Stage "evaluate" + "locate": every enabled rule over one cluster's graph -> located findings.
import { minimatch } from 'minimatch';
import type { ClusterSettings, Finding, K8sObject, RenderedObject } from './types.ts';
import type { Rule, ReportDescriptor } from './rule.ts';
import { describeRef, refOf } from './rule.ts';
import { ClusterGraph } from './graph.ts';
import { isolateFailure } from './isolate-failure.ts';
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

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function evaluateCluster({ cluster, graph, rules, config, read }: EvaluateInput): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const severity = ruleSeverity(config, rule, cluster.name);
    if (severity === 'off') continue;
    const settings = config.rules[rule.id];
    const options = ruleOptions(config, rule, cluster.name);
    const reportInto = (out: Finding[]) => (d: ReportDescriptor) => {
      const location = locateObject(graph, read, d.object, d.path);
      if (!inScope(location?.file, settings?.paths, settings?.exclude)) return;
      const object = d.object ? refOf(d.object) : undefined;
      const finding: Finding = {
        rule: rule.id,
        severity: d.severity ?? severity,
        cluster: cluster.name,
        message: d.message,
        fingerprint: d.identity !== undefined ? fingerprintOf(rule.id, cluster.name, undefined, undefined, d.identity) : fingerprintOf(rule.id, cluster.name, object, d.path, d.key),
      };
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
      out.push(finding);
    };
    const run = (on: ClusterGraph, report: (d: ReportDescriptor) => void) => rule.check({ cluster, graph: on, options, report });
    const collected: Finding[] = [];
    try {
      run(graph, reportInto(collected));
      findings.push(...collected);
    } catch (error) {
      findings.push(...failedRuleFindings(rule, { cluster, graph, read }, error, run, reportInto));
    }
  }
  return findings;
}

/** A crashed rule: its culprit objects named at their file:line, and its findings on every other object kept. */
function failedRuleFindings(
  rule: Rule<any>,
  { cluster, graph, read }: Pick<EvaluateInput, 'cluster' | 'graph' | 'read'>,
  error: unknown,
  run: (on: ClusterGraph, report: (d: ReportDescriptor) => void) => void,
  reportInto: (out: Finding[]) => (d: ReportDescriptor) => void,
): Finding[] {
  const isolation = isolateFailure(cluster.name, graph.objects, (on) => run(on, () => {}));
  const findings: Finding[] = [];
  let rest = isolation.rest;
  if (rest) {
    try {
      run(new ClusterGraph(cluster.name, rest), reportInto(findings));
    } catch {
      findings.length = 0;
      rest = undefined;
    }
  }
  for (const { rendered, error: culpritError } of isolation.culprits) {
    const object = refOf(rendered.object);
    const finding: Finding = {
      rule: 'policy/rule-failed',
      severity: 'error',
      cluster: cluster.name,
      object,
      message: `rule ${rule.id} failed on ${describeRef(object)}: ${errorText(culpritError)}; ${rest ? "the rule's findings on the other objects are kept" : 'the rule checked nothing on this cluster'}`,
      fingerprint: fingerprintOf('policy/rule-failed', cluster.name, object, undefined, rule.id),
    };
    const location = locate(rendered, [], read);
    if (location) finding.location = location;
    findings.push(finding);
  }
  if (!rest) {
    findings.push({
      rule: 'policy/rule-failed',
      severity: 'error',
      cluster: cluster.name,
      message: `rule ${rule.id} failed on this cluster: ${errorText(isolation.error ?? error)}`,
      fingerprint: fingerprintOf('policy/rule-failed', cluster.name, undefined, undefined, rule.id),
    });
  }
  return findings;
}
