// render/namespace-not-specified: a namespaced object that a Flux Kustomization applies without a namespace. Flux's
// server-side apply sends it as it is, the API server answers NotFound, and fluxcd/pkg ssa v0.41.1 errors/errors.go
// turns that into "<Kind>/<name> namespace not specified": the whole Kustomization fails. Argo CD (destination
// namespace) and kubectl (`default`) place such an object instead, so only Flux-applied objects are judged.
import type { RenderedObject } from './types.ts';
import { crdScopesOf, isClusterScoped } from './graph.ts';
import { describeObject, refOf } from './identity.ts';
import { fingerprintOf } from './fingerprint.ts';
import type { EvaluatedFinding } from './evaluate.ts';

export const NAMESPACE_NOT_SPECIFIED = 'render/namespace-not-specified';

/**
 * `rendered` are the objects as kustomize and the reconciler left them; `defaulted` the same objects, in the same
 * order, with namespaces defaulted (the graph's copies, which the findings point at so that they can be located).
 */
export function namespaceNotSpecifiedFindings(cluster: string, rendered: readonly RenderedObject[], defaulted: readonly RenderedObject[]): EvaluatedFinding[] {
  const scopes = crdScopesOf(rendered);
  const findings: EvaluatedFinding[] = [];
  rendered.forEach((r, index) => {
    if (r.engine !== 'flux' || r.object.metadata?.namespace || isClusterScoped(r.object, scopes)) return;
    const subject = defaulted[index].object;
    findings.push({
      rule: NAMESPACE_NOT_SPECIFIED,
      severity: 'error',
      cluster,
      subject,
      path: ['metadata'],
      message: `${describeObject(r.object)} has no namespace and ${r.entryPoint} sets no targetNamespace: Flux's apply fails the whole Kustomization ("${r.object.kind}/${r.object.metadata?.name} namespace not specified")`,
      fix: 'metadata:\n  namespace: my-app        # in the object, or in the folder\'s kustomization.yaml: `namespace: my-app`,\n# or in the Flux Kustomization: spec.targetNamespace: my-app',
      fingerprint: fingerprintOf(NAMESPACE_NOT_SPECIFIED, cluster, refOf(subject), ['metadata'], r.entryPoint),
    });
  });
  return findings;
}
