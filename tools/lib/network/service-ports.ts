// Services that route to pods. What a Service port means on a pod is the port model's (ports/port-model.ts).
import type { K8sObject } from '../core/types.ts';
import type { ClusterGraph } from '../core/graph.ts';

/** Services that route to pods: a selector, and not ExternalName. */
export function selectingServices(graph: ClusterGraph): K8sObject[] {
  return graph.byKind('Service').filter((service) => {
    const spec = (service as any).spec ?? {};
    return spec.type !== 'ExternalName' && spec.selector && Object.keys(spec.selector).length > 0;
  });
}


