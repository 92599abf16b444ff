// The shapes the Pod Security checks share: the pod they read, the violations they return, the registry entries.
import { stringify } from 'yaml';
import type { FieldPath } from '../core/types.ts';
import type { EvaluatedLevel } from './version.ts';
import { containerEntries } from '../core/graph.ts';

export type PodSpec = Record<string, any>;

export interface PodUnderTest {
  metadata?: { annotations?: Record<string, string>; [key: string]: unknown };
  spec: PodSpec;
}

export interface Violation {
  /** The library's check id: runAsNonRoot, capabilities_restricted, hostNamespaces ... */
  check: string;
  /** The container the violation is about; absent for pod-level fields. */
  container?: string;
  /**
   * Field to change. Relative to the pod spec, except paths that start with 'metadata',
   * which are relative to the pod (annotations).
   */
  path: FieldPath;
  message: string;
  /** Copy-pasteable YAML, rooted at the pod spec (or at the pod for metadata). */
  fix?: string;
}

export type CheckFn = (pod: PodUnderTest) => Violation[];

export interface VersionedCheck {
  minimumMinor: number;
  check: CheckFn;
  /** Baseline check ids this restricted revision replaces when restricted is evaluated. */
  overrides?: string[];
}

export interface CheckDefinition {
  id: string;
  level: EvaluatedLevel;
  /** Strictly increasing minimum versions. */
  versions: VersionedCheck[];
}


export interface VisitedContainer {
  container: Record<string, any>;
  name: string;
  /** ['containers', 0] and the like, relative to the pod spec. */
  path: FieldPath;
}

/** Every container in the library's order: init containers, containers, ephemeral containers. */
export function containersOfSpec(spec: PodSpec): VisitedContainer[] {
  return containerEntries(spec).map(({ container, path }) => ({ container, name: String(container.name ?? ''), path }));
}

export function securityContextOf(holder: Record<string, any> | undefined): Record<string, any> | undefined {
  const sc = holder?.securityContext;
  return sc && typeof sc === 'object' ? sc : undefined;
}

export function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isWindowsPod(spec: PodSpec): boolean {
  return spec.os?.name === 'windows';
}

/** hostUsers: false puts the pod in a user namespace, which some checks relax for from v1.35. */
export function inUserNamespace(spec: PodSpec): boolean {
  return spec.hostUsers === false;
}

function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, indentSeq: false }).trimEnd();
}

/** A fix snippet that sets securityContext fields on one container, mergeable by container name. */
export function containerFix(visited: VisitedContainer, securityContext: Record<string, unknown>): string {
  const listKey = visited.path[0] as string;
  return toYaml({ [listKey]: [{ name: visited.name, securityContext }] });
}

export function podFix(fields: Record<string, unknown>): string {
  return toYaml(fields);
}

export function quoteList(values: Iterable<string>): string {
  return [...values].map((v) => `"${v}"`).join(', ');
}

/** How a violation names its subject: 'container "web"' (or 'init container "setup"'), or 'the pod'. */
export function subjectOf(visited: VisitedContainer): string {
  const kind = visited.path[0] === 'initContainers' ? 'init container' : visited.path[0] === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${kind} "${visited.name}"`;
}
