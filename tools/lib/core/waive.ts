// Stage "waive": config waivers and object annotations suppress findings; an expired waiver is itself a finding.
import { minimatch } from 'minimatch';
import { isSeq, LineCounter, parseDocument } from 'yaml';
import type { Finding, K8sObject, ObjectRef, SourceLocation } from './types.ts';
import { describeRef, refOf } from './rule.ts';
import type { ClusterGraph } from './graph.ts';
import type { CheckConfig, WaiverConfig } from './config.ts';
import { fingerprintOf } from './fingerprint.ts';
import { locateObject, type SourceReader } from './locate.ts';
import { waiverProblem, type WaiverPolicy } from './waiver-validation.ts';

export const WAIVER_ANNOTATION = 'policy-check.dev/waivers';

interface AnnotationWaiver {
  rule: string;
  reason: string;
  expires: string;
}

function objectMatches(pattern: string | undefined, object: ObjectRef | undefined): boolean {
  if (!pattern) return true;
  if (!object) return false;
  return minimatch(describeRef(object), pattern.trim()) || minimatch(`${object.kind} ${object.name}`, pattern.trim());
}

function isExpired(expires: string, today: Date): boolean {
  return Date.parse(`${expires}T23:59:59Z`) < today.getTime();
}

function expiredFinding(cluster: string, message: string, extra: Partial<Finding>, key: string): Finding {
  return {
    rule: 'policy/expired-waiver',
    severity: 'error',
    cluster,
    message,
    ...extra,
    fingerprint: fingerprintOf('policy/expired-waiver', cluster, extra.object, extra.path, key),
  };
}

/** One entry of the annotation that cannot be used, with its 0-based line inside the annotation text. */
export interface InvalidAnnotationWaiver {
  message: string;
  lineInAnnotation: number;
  index: number;
}

/**
 * Reads the waiver annotation of an object. Every entry is validated like a config waiver
 * (waiver-validation.ts); an invalid entry is returned in `invalid` and waives nothing.
 */
export function annotationWaivers(object: K8sObject, policy: WaiverPolicy = {}, today?: Date): { waivers: AnnotationWaiver[]; invalid: InvalidAnnotationWaiver[] } {
  const raw = object.metadata?.annotations?.[WAIVER_ANNOTATION];
  if (raw === undefined) return { waivers: [], invalid: [] };
  const text = String(raw);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const line = lineCounter.linePos(doc.errors[0].pos[0]).line - 1;
    return { waivers: [], invalid: [{ message: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, lineInAnnotation: line, index: 0 }] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10 });
  } catch (error) {
    return { waivers: [], invalid: [{ message: `not valid YAML: ${(error as Error).message.split('\n')[0]}`, lineInAnnotation: 0, index: 0 }] };
  }
  const list = Array.isArray(value) ? value : [value];
  const nodes = isSeq(doc.contents) ? doc.contents.items : [doc.contents];
  const waivers: AnnotationWaiver[] = [];
  const invalid: InvalidAnnotationWaiver[] = [];
  list.forEach((entry, index) => {
    const node = nodes[index] as { range?: [number, number, number] } | null | undefined;
    const lineInAnnotation = node?.range ? lineCounter.linePos(node.range[0]).line - 1 : 0;
    const fields = entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const problem = entry && typeof entry === 'object' ? waiverProblem(fields, policy, today) : { message: `each waiver is a map with rule, reason and expires, got ${JSON.stringify(entry)}` };
    if (problem) invalid.push({ message: problem.message, lineInAnnotation, index });
    else waivers.push({ rule: String(fields.rule), reason: String(fields.reason), expires: String(fields.expires) });
  });
  return { waivers, invalid };
}

/** A literal block (`key: |`) keeps the annotation's lines as they are in the file, so an entry can be pointed at. */
function entryLocation(read: SourceReader, annotationKey: SourceLocation | undefined, lineInAnnotation: number): SourceLocation | undefined {
  if (!annotationKey || lineInAnnotation < 0) return annotationKey;
  const keyLine = read(annotationKey.file)?.text.split('\n')[annotationKey.line - 1] ?? '';
  if (!/:\s*\|[-+0-9]*\s*(#.*)?$/.test(keyLine)) return annotationKey;
  const line = annotationKey.line + 1 + lineInAnnotation;
  const column = (read(annotationKey.file)?.text.split('\n')[line - 1] ?? '').search(/\S/) + 1;
  return { file: annotationKey.file, line, column: Math.max(column, 1) };
}

export function applyWaivers(
  findings: Finding[],
  cluster: string,
  graph: ClusterGraph,
  config: CheckConfig,
  read: SourceReader,
  today: Date,
): Finding[] {
  const out: Finding[] = [];
  const expiredReported = new Set<string>();
  const configWaivers = config.waivers.filter((w) => !w.cluster || w.cluster === cluster);
  const matchingConfigWaiver = (f: Finding): WaiverConfig | undefined =>
    configWaivers.find(
      (w) => w.rule === f.rule && objectMatches(w.object, f.object) && (!w.file || (f.location && minimatch(f.location.file, w.file))),
    );

  const annotationCache = new Map<K8sObject, ReturnType<typeof annotationWaivers>>();
  const waiversOf = (object: K8sObject) => {
    if (!annotationCache.has(object)) annotationCache.set(object, annotationWaivers(object, config.waiverPolicy, today));
    return annotationCache.get(object)!;
  };

  for (const object of graph.all()) {
    const { invalid } = waiversOf(object);
    if (invalid.length === 0) continue;
    const path = ['metadata', 'annotations', WAIVER_ANNOTATION];
    const annotationKey = locateObject(graph, read, object, path);
    for (const entry of invalid) {
      const location = entryLocation(read, annotationKey, entry.lineInAnnotation);
      out.push({
        rule: 'policy/invalid-waiver',
        severity: 'error',
        cluster,
        object: refOf(object),
        path,
        message: `the ${WAIVER_ANNOTATION} annotation is invalid: ${entry.message}; this waiver waives nothing`,
        ...(location ? { location } : {}),
        fingerprint: fingerprintOf('policy/invalid-waiver', cluster, refOf(object), path, entry.index === 0 ? undefined : String(entry.index)),
      });
    }
  }

  for (const finding of findings) {
    const object = finding.object ? graph.resolve(finding.object) : undefined;
    const fromAnnotation = object ? waiversOf(object).waivers.find((w) => w.rule === finding.rule) : undefined;
    const fromConfig = fromAnnotation ? undefined : matchingConfigWaiver(finding);
    const waiver = fromAnnotation ?? fromConfig;
    if (!waiver) {
      out.push(finding);
      continue;
    }
    if (isExpired(waiver.expires, today)) {
      out.push(finding);
      const key = fromConfig ? `config:${fromConfig.line}` : `annotation:${finding.rule}`;
      const dedupe = `${key}|${finding.object ? describeRef(finding.object) : ''}`;
      if (!expiredReported.has(dedupe)) {
        expiredReported.add(dedupe);
        if (fromConfig) {
          out.push(
            expiredFinding(
              cluster,
              `waiver for ${finding.rule} expired on ${waiver.expires} (reason was: ${waiver.reason}); fix the finding or renew the waiver`,
              { location: { file: config.file, line: fromConfig.line, column: 5 } },
              dedupe,
            ),
          );
        } else {
          const path = ['metadata', 'annotations', WAIVER_ANNOTATION];
          out.push(
            expiredFinding(
              cluster,
              `waiver annotation for ${finding.rule} expired on ${waiver.expires} (reason was: ${waiver.reason}); fix the finding or renew the waiver`,
              { object: finding.object, path, location: locateObject(graph, read, object, path) },
              dedupe,
            ),
          );
        }
      }
      continue;
    }
    out.push({ ...finding, suppressed: { kind: fromConfig ? 'config' : 'annotation', reason: waiver.reason, expires: waiver.expires } });
  }
  return out;
}
