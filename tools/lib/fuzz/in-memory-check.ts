// The checker's per-cluster pipeline (shape check -> graph -> rules -> locate -> waive) on objects held in
// memory, written out as one YAML file so every finding can be located in text we control.
import { parseAllDocuments, stringify } from 'yaml';
import type { Finding, K8sObject, RenderedObject, Report } from '../core/types.ts';
import type { Rule } from '../core/rule.ts';
import { clusterSettings, loadConfig, type CheckConfig } from '../core/config.ts';
import { MAX_ALIAS_COUNT, parseSource, type ParsedSource } from '../core/yaml-source.ts';
import { runCheck, TOOL_NAME, TOOL_VERSION } from '../render/run-check.ts';
import { checkCluster } from '../core/check-cluster.ts';
import { loadRules } from '../render/load-rules.ts';
import { summarize } from '../report/summary.ts';
import { compileReportValidator } from '../report/report-schema.ts';

/** Each object is written to its own file, so only the objects a mutant changed are printed and parsed again. */
export const fileOf = (cluster: string, index: number) => `${cluster}/object-${index}.yaml`;

export interface FuzzBase {
  clusters: { name: string; objects: K8sObject[] }[];
  config: CheckConfig;
  rules: Rule<any>[];
}

/** Renders the repository (all clusters, or the ones named) once with the real checker and kustomize. */
export async function loadFuzzBase(root: string, clusterNames?: string[]): Promise<FuzzBase> {
  const rules = await loadRules();
  const { clusters } = await runCheck({ root, rules, clusters: clusterNames });
  return {
    clusters: clusters.map((c) => ({ name: c.rendered.name, objects: structuredClone(c.rendered.objects.map((o) => o.object)) })),
    config: loadConfig(root, undefined, rules),
    rules,
  };
}

export interface InMemoryCheck {
  /** The text of every input file, by file name. */
  inputs: Record<string, string>;
  findings: Finding[];
}

/** Objects as one multi-document YAML file, the way kustomize prints a build. */
export function objectsAsYaml(objects: K8sObject[]): string {
  return objects.map((object) => stringify(object)).join('---\n');
}

const printed = new Map<K8sObject, string>();
const parsedSources = new Map<string, ParsedSource>();

function textOf(object: K8sObject, reuse: boolean): string {
  if (!reuse) return stringify(object);
  let text = printed.get(object);
  if (text === undefined) printed.set(object, (text = stringify(object)));
  return text;
}

function parsedText(text: string): ParsedSource {
  let parsed = parsedSources.get(text);
  if (!parsed) {
    parsed = parseSource(text);
    if (parsedSources.size > 5000) parsedSources.clear();
    parsedSources.set(text, parsed);
  }
  return parsed;
}

/**
 * Checks `objects` as the render stage would hand them over after kustomize printed them. `unchanged[i]` says
 * object i is the base's own (it is then printed and parsed once per run, not once per mutant).
 */
export function checkInMemory(cluster: string, objects: K8sObject[], base: Pick<FuzzBase, 'config' | 'rules'>, unchanged: K8sObject[] = []): InMemoryCheck {
  const inputs: Record<string, string> = {};
  const rendered: RenderedObject[] = [];
  objects.forEach((object, index) => {
    const file = fileOf(cluster, index);
    const same = unchanged[index] !== undefined;
    const text = textOf(same ? unchanged[index] : object, same);
    inputs[file] = text;
    const value = same ? structuredClone(unchanged[index]) : (parseAllDocuments(text)[0]?.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as K8sObject | null);
    if (!value || typeof value !== 'object') return;
    rendered.push({ object: value, origin: { file, transformedBy: [] }, entryPoint: cluster });
  });
  const read = (file: string) => (file in inputs ? parsedText(inputs[file]) : undefined);
  const result = checkCluster({ objects: rendered, settings: clusterSettings(base.config, cluster), config: base.config, rules: base.rules, sources: read, today: new Date() });
  return { inputs, findings: result.findings };
}

let validateReport: ReturnType<typeof compileReportValidator> | undefined;

/** What is wrong with a run's findings: crashed rules, findings the report schema refuses, locations outside the input. */
export function findingDefects(findings: Finding[], inputs: Record<string, string>): string[] {
  validateReport ??= compileReportValidator();
  const defects: string[] = [];
  const lineCounts = new Map(Object.entries(inputs).map(([file, text]) => [file, text.split('\n').length]));
  for (const finding of findings) {
    const where = `${finding.rule}: ${finding.message}`;
    if (finding.rule === 'policy/rule-failed') defects.push(`a rule crashed: ${finding.message}`);
    if (!finding.rule || !finding.message) defects.push(`finding without rule or message: ${JSON.stringify(finding)}`);
    const location = finding.location;
    if (!location) {
      defects.push(`no location: ${where}`);
      continue;
    }
    const lines = lineCounts.get(location.file);
    if (lines === undefined) defects.push(`location in ${location.file}, which is not an input: ${where}`);
    else if (!(location.line >= 1 && location.line <= lines && location.column >= 1)) defects.push(`location ${location.line}:${location.column} outside ${location.file} (${lines} lines): ${where}`);
  }
  const report: Report = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generatedAt: new Date().toISOString(),
    clusters: [],
    findings,
    summary: summarize(findings),
    rules: [],
  };
  const validation = validateReport(JSON.parse(JSON.stringify(report)));
  if (!validation.ok) defects.push(`the json report does not match schemas/report.schema.json: ${validation.errors.join('; ')}`);
  return defects;
}
