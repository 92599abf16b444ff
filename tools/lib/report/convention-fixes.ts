// The repository's own convention as the fix: where the kustomizations of other namespaces include a component
// (components/namespace-defaults: default-deny, DNS egress, LimitRange, Pod Security labels) and a new namespace
// lacks it, one `components:` line fixes what would otherwise be three snippets.
//
// Nothing here knows what a component is for. Each component that a namespace's kustomization includes somewhere in
// the repository is rendered by the real kustomize onto the namespace that has findings (render/component-probe.ts),
// and the cluster is checked again with what it adds: the findings that disappear are the ones it resolves, on the
// very objects at hand. A component is offered when it resolves two or more of the namespace's findings, leaves no
// finding of those rules behind in the namespace, and brings no new finding.
import path from 'node:path';
import type { CombinedFix, Finding, RenderedObject } from '../core/types.ts';
import type { SourceReader } from '../core/locate.ts';
import { refOf } from '../core/identity.ts';
import type { ComponentProbe } from '../render/component-probe.ts';
import { namespaceKustomizations, readKustomization, type NamespaceKustomization } from './namespace-kustomizations.ts';

export interface ConventionCluster {
  name: string;
  objects: readonly RenderedObject[];
  findings: readonly Finding[];
  /** The cluster's own check (check-cluster.ts with its settings, config and rules) on other objects. */
  recheck: (objects: RenderedObject[]) => Finding[];
}

export interface ConventionInput {
  /** The repository root, absolute: the probe renders components by their folder. */
  root: string;
  clusters: readonly ConventionCluster[];
  read: SourceReader;
  probe: ComponentProbe;
}

/** The namespace a finding is about: its object's namespace, or the Namespace object's own name. */
export function namespaceOfFinding(finding: Finding): string | undefined {
  const object = finding.object;
  if (!object) return undefined;
  if (object.kind === 'Namespace' && object.apiVersion === 'v1' && !object.namespace) return object.name;
  return object.namespace;
}

/**
 * The findings of `namespace` that a change resolves, judged by the check before and after it; undefined when the
 * change is no fix to offer: it resolves fewer than two, leaves a finding of a rule it resolves elsewhere in the
 * namespace, or brings a finding that was not there.
 */
export function resolvedFindings(before: readonly Finding[], after: readonly Finding[], namespace: string): Finding[] | undefined {
  const active = (f: Finding) => !f.suppressed;
  const was = new Set(before.map((f) => f.fingerprint));
  const still = new Set(after.filter(active).map((f) => f.fingerprint));
  if (after.some((f) => active(f) && !was.has(f.fingerprint))) return undefined;
  const inNamespace = before.filter((f) => active(f) && namespaceOfFinding(f) === namespace);
  const resolved = inNamespace.filter((f) => !still.has(f.fingerprint));
  if (resolved.length < 2) return undefined;
  const rules = new Set(resolved.map((f) => f.rule));
  if (inNamespace.some((f) => still.has(f.fingerprint) && rules.has(f.rule))) return undefined;
  return resolved;
}

/** Components that some namespace's kustomization includes, each with the folders of the kustomizations that do. */
function conventionComponents(read: SourceReader, kustomizations: Iterable<NamespaceKustomization>): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const k of kustomizations) {
    for (const component of k.components) {
      if (component.startsWith('..')) continue; // outside the repository
      users.set(component, [...(users.get(component) ?? []), k.dir]);
    }
  }
  for (const component of [...users.keys()]) if (readKustomization(read, component)?.kind !== 'Component') users.delete(component);
  return users;
}

function originDirs(clusters: readonly ConventionCluster[]): Set<string> {
  const dirs = new Set<string>();
  for (const cluster of clusters) for (const o of cluster.objects) if (o.origin.file) dirs.add(path.posix.dirname(o.origin.file));
  return dirs;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function snippetOf(target: NamespaceKustomization, component: string, users: string[]): string {
  const shown = users.slice(0, 3);
  const more = users.length - shown.length;
  const as = more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : shown[0];
  const relative = path.posix.relative(target.dir, component);
  return [`# in ${target.file}${as ? `, as in ${as}` : ''}`, 'components:', `  - ${relative}`].join('\n');
}

interface Candidate {
  component: string;
  resolved: Finding[];
}

/** What adding `component` to the namespace's kustomization resolves in this cluster, checked on the cluster's objects. */
async function tryComponent(input: ConventionInput, cluster: ConventionCluster, namespace: RenderedObject, component: string): Promise<Candidate | undefined> {
  const probed = await input.probe(path.join(input.root, component), namespace.object);
  if (!probed) return undefined;
  const name = namespace.object.metadata.name ?? '';
  const patched = probed.find((o) => o.kind === 'Namespace' && o.metadata?.name === name);
  if (!patched) return undefined;
  const added = probed.filter((o) => o !== patched);
  if (added.length === 0 && same(patched, namespace.object)) return undefined;
  const objects: RenderedObject[] = cluster.objects.map((o) => (o === namespace ? { ...o, object: patched } : o));
  for (const object of added) objects.push({ object, origin: { transformedBy: [] }, entryPoint: namespace.entryPoint, ...(namespace.engine ? { engine: namespace.engine } : {}) });
  const resolved = resolvedFindings(cluster.findings, cluster.recheck(objects), name);
  return resolved ? { component, resolved } : undefined;
}

/** One component fix per cluster and namespace where a convention component resolves the namespace's findings. */
export async function conventionFixes(input: ConventionInput): Promise<CombinedFix[]> {
  try {
    return await findConventionFixes(input);
  } catch {
    return []; // a fix is advice: a repository it cannot read costs the advice, never the findings
  }
}

async function findConventionFixes(input: ConventionInput): Promise<CombinedFix[]> {
  const withFindings = input.clusters.filter((c) => c.findings.some((f) => !f.suppressed && namespaceOfFinding(f)));
  if (withFindings.length === 0) return [];
  const kustomizations = namespaceKustomizations(input.read, originDirs(input.clusters));
  const components = conventionComponents(input.read, kustomizations.values());
  if (components.size === 0) return [];
  const fixes: CombinedFix[] = [];
  for (const cluster of withFindings) {
    const namespaces = new Set(cluster.findings.filter((f) => !f.suppressed).map(namespaceOfFinding).filter((n): n is string => !!n));
    for (const name of [...namespaces].sort()) {
      const namespace = cluster.objects.find((o) => o.object.kind === 'Namespace' && o.object.apiVersion === 'v1' && o.object.metadata?.name === name);
      const file = namespace?.origin.file;
      if (!namespace || !file) continue;
      // the kustomization that lists the Namespace and places objects in it: where the component line goes
      const target = kustomizations.get(path.posix.dirname(file));
      if (!target || target.namespace !== name || !target.resources.includes(file)) continue;
      let best: Candidate | undefined;
      for (const component of [...components.keys()].sort()) {
        if (target.components.includes(component)) continue;
        let candidate: Candidate | undefined;
        try {
          candidate = await tryComponent(input, cluster, namespace, component);
        } catch {
          candidate = undefined; // a component that cannot be tried is no fix; the findings keep their own
        }
        if (candidate && (!best || candidate.resolved.length > best.resolved.length)) best = candidate;
      }
      if (!best) continue;
      fixes.push({
        cluster: cluster.name,
        object: refOf(namespace.object),
        under: 'components',
        rules: [...new Set(best.resolved.map((f) => f.rule))],
        fingerprints: best.resolved.map((f) => f.fingerprint),
        snippet: snippetOf(target, best.component, [...components.get(best.component)!].sort().filter((d) => d !== target.dir)),
        location: target.componentsAt,
        component: best.component,
      });
    }
  }
  return fixes;
}
