// Stage "waive": config waivers and object annotations suppress findings; an expired waiver is itself a finding.
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import type { Finding, K8sObject, ObjectRef } from './types.ts';
import { describeRef, refOf } from './rule.ts';
import type { ClusterGraph } from './graph.ts';
import type { CheckConfig, WaiverConfig } from './config.ts';
import { fingerprintOf } from './fingerprint.ts';
import { locateObject, type SourceReader } from './locate.ts';

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

/** Reads the waiver annotation of an object; a malformed one is returned as an error message. */
export function annotationWaivers(object: K8sObject): { waivers: AnnotationWaiver[]; error?: string } {
  const raw = object.metadata?.annotations?.[WAIVER_ANNOTATION];
  if (raw === undefined) return { waivers: [] };
  try {
    const value = parse(raw, { maxAliasCount: 10 });
    const list = Array.isArray(value) ? value : [value];
    const waivers: AnnotationWaiver[] = [];
    for (const entry of list) {
      if (!entry || typeof entry.rule !== 'string' || typeof entry.reason !== 'string' || !entry.reason.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(String(entry.expires ?? ''))) {
        return { waivers, error: `each waiver needs rule, reason and expires (YYYY-MM-DD); got ${JSON.stringify(entry)}` };
      }
      waivers.push({ rule: entry.rule, reason: entry.reason, expires: String(entry.expires) });
    }
    return { waivers };
  } catch (error) {
    return { waivers: [], error: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
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
    if (!annotationCache.has(object)) annotationCache.set(object, annotationWaivers(object));
    return annotationCache.get(object)!;
  };

  for (const object of graph.all()) {
    const { error } = waiversOf(object);
    if (error) {
      const path = ['metadata', 'annotations', WAIVER_ANNOTATION];
      out.push({
        rule: 'policy/invalid-waiver',
        severity: 'error',
        cluster,
        object: refOf(object),
        path,
        message: `the ${WAIVER_ANNOTATION} annotation is invalid: ${error}`,
        location: locateObject(graph, read, object, path),
        fingerprint: fingerprintOf('policy/invalid-waiver', cluster, refOf(object), path),
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
