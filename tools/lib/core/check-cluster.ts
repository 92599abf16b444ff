// The whole check of one rendered cluster, in memory and in this order: the shape check, namespace defaulting, the
// duplicate-object check, the graph, evaluate, locate, waive. No files, no processes: the CLI's driver
// (render/run-check.ts) and the RuleTester both call this, so rule tests see exactly what a run sees.
import type { ClusterSettings, Finding, RenderedObject, RenderProblem } from './types.ts';
import type { Rule } from './rule.ts';
import type { CheckConfig } from './config.ts';
import { ClusterGraph, isClusterScoped } from './graph.ts';
import { evaluateRules, type EvaluatedFinding } from './evaluate.ts';
import { locateFindings, type SourceReader } from './locate.ts';
import { applyWaivers } from './waive.ts';
import { partitionByShape, type MalformedObject } from './object-shape.ts';
import { malformedObjectFindings, readableRef } from './malformed-findings.ts';
import { fingerprintOf } from './fingerprint.ts';
import { describeObject, keyOfObject, refOf } from './identity.ts';

export interface CheckClusterInput {
  /** What the cluster's entry points rendered, in entry-point order. */
  objects: readonly RenderedObject[];
  /** Entry points that could not be rendered. */
  problems?: readonly RenderProblem[];
  settings: ClusterSettings;
  config: CheckConfig;
  rules: readonly Rule<any>[];
  /** Reads the repository's source files (parsed), for locating findings. */
  sources: SourceReader;
  /** Waiver expiry is judged as of this day. */
  today: Date;
}

export interface CheckedCluster {
  /** The objects as the rules saw them (namespaces defaulted). */
  objects: RenderedObject[];
  graph: ClusterGraph;
  findings: Finding[];
}

export function checkCluster(input: CheckClusterInput): CheckedCluster {
  const cluster = input.settings.name;
  const { kept, malformed } = partitionByShape(input.objects);
  const objects = withDefaultNamespaces(kept);
  const duplicates = duplicateFindings(cluster, objects);
  const graph = new ClusterGraph(cluster, objects, input.config.workloadKinds);
  const evaluated = [...problemFindings(cluster, input.problems ?? []), ...duplicates, ...evaluateRules({ settings: input.settings, graph, rules: [...input.rules], config: input.config })];
  const located = [...malformedFindings(input, malformed), ...locateFindings(evaluated, graph, input.sources)];
  const findings = applyWaivers(located, cluster, graph, input.config, input.sources, input.today);
  return { objects, graph, findings };
}

/** Rules that validate an object's shape themselves (against the API's schema), so a malformed object is theirs to judge. */
const SHAPE_RULES = new Set(['schema/strict']);

/**
 * A malformed object is left out of the graph. Where the schema rule covers it, its findings (every wrong field, at the
 * patch that wrote it) stand for the object; render/malformed-object covers the objects no schema judged.
 */
function malformedFindings(input: CheckClusterInput, malformed: MalformedObject[]): Finding[] {
  if (malformed.length === 0) return [];
  const cluster = input.settings.name;
  const rules = input.rules.filter((rule) => SHAPE_RULES.has(rule.id));
  let judged: Finding[] = [];
  const covered = new Set<MalformedObject>();
  if (rules.length > 0) {
    const all = [...input.objects];
    const defaulted = withDefaultNamespaces(all);
    const owner = new Map<object, MalformedObject>();
    const position = new Map(all.map((rendered, index) => [rendered, index] as const));
    malformed.forEach((m) => owner.set(defaulted[position.get(m.rendered)!].object, m));
    const graph = new ClusterGraph(cluster, defaulted, input.config.workloadKinds);
    const evaluated = evaluateRules({ settings: input.settings, graph, rules, config: input.config }).filter((f) => f.subject && owner.has(f.subject));
    for (const f of evaluated) covered.add(owner.get(f.subject!)!);
    // the report's object reference must be strings even where the object's own name or namespace is not
    judged = evaluated.flatMap((f) =>
      locateFindings([f], graph, input.sources).map((finding) => {
        const { object: _unreadable, ...rest } = finding;
        const ref = readableRef(f.subject);
        return ref ? { ...rest, object: ref } : rest;
      }),
    );
  }
  return [...malformedObjectFindings(cluster, malformed.filter((m) => !covered.has(m)), input.sources), ...judged];
}

/**
 * A namespaced object that names no namespace lands in `default`, as `kubectl apply` would put it; the scope of a
 * custom resource comes from a CRD rendered in the same cluster. Objects are copied, never changed in place.
 */
export function withDefaultNamespaces(objects: readonly RenderedObject[]): RenderedObject[] {
  const crdScopes = new Map<string, string>();
  for (const { object } of objects) {
    if (object.kind === 'CustomResourceDefinition') {
      const spec = (object as any).spec ?? {};
      crdScopes.set(`${spec.names?.kind}.${spec.group}`, spec.scope);
    }
  }
  return objects.map((rendered) => {
    const { object } = rendered;
    if (object.metadata?.namespace || isClusterScoped(object, crdScopes)) return rendered;
    return { ...rendered, object: { ...object, metadata: { ...object.metadata, namespace: 'default' } } };
  });
}

function problemFindings(cluster: string, problems: readonly RenderProblem[]): EvaluatedFinding[] {
  return problems.map((problem) => {
    const finding: EvaluatedFinding = {
      rule: 'render/failed',
      severity: 'error',
      cluster,
      message: `${problem.entryPoint}: ${problem.message}`,
      fingerprint: fingerprintOf('render/failed', cluster, undefined, undefined, `${problem.entryPoint}|${problem.location?.file ?? ''}${problem.key ? `|${problem.key}` : ''}`),
    };
    if (problem.location) finding.location = problem.location;
    return finding;
  });
}

/** The same object from two different entry points of one cluster: a conflict the reconciler cannot settle. */
function duplicateFindings(cluster: string, objects: readonly RenderedObject[]): EvaluatedFinding[] {
  const first = new Map<string, RenderedObject>();
  const findings: EvaluatedFinding[] = [];
  for (const rendered of objects) {
    const key = keyOfObject(rendered.object);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, rendered);
      continue;
    }
    if (earlier.entryPoint === rendered.entryPoint) continue; // kustomize itself rejects duplicates within one build
    findings.push({
      rule: 'render/duplicate-object',
      severity: 'error',
      cluster,
      subject: rendered.object,
      message: `${describeObject(rendered.object)} is rendered by both ${earlier.entryPoint} and ${rendered.entryPoint}`,
      related: [{ message: `also rendered by ${earlier.entryPoint}`, object: earlier.object }],
      fingerprint: fingerprintOf('render/duplicate-object', cluster, refOf(rendered.object), undefined, rendered.entryPoint),
    });
  }
  return findings;
}
