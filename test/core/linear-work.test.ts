// Work, not time: the lookups the rules make per object stay proportional to what they return, so a fleet of
// 2,000 apps costs about 40 times one of 50, not 1,600 times.
import { describe, expect, it } from 'vitest';
import { ClusterGraph } from '../../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../../tools/lib/core/rule-tester.ts';
import { serviceReferences } from '../../tools/lib/ports/service-refs.ts';
import { readersIndex } from '../../policies/ports-dangling-reference.ts';

function fleet(apps: number): string {
  const docs: string[] = [];
  for (let i = 0; i < apps; i++) {
    docs.push(`apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: shop }
data:
  APP_${i}_ADDRESS: "app-${i}.shop.svc.cluster.local:8080"
`.replace('service-ports', `ports-${i}`));
    docs.push(`apiVersion: v1
kind: Service
metadata: { name: app-${i}, namespace: shop }
spec:
  selector: { app: app-${i}, tier: web }
  ports: [{ port: 8080 }]
`);
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: app-${i}, namespace: shop }
spec:
  template:
    metadata: { labels: { app: app-${i}, tier: web } }
    spec:
      containers:
        - name: app
          image: app:1.0
          env:
            - name: SELF
              valueFrom: { configMapKeyRef: { name: ports-${i}, key: APP_${i}_ADDRESS } }
`);
  }
  return docs.join('---\n');
}

/** Counts reads of array elements, which is what a scan of every reference per reference would multiply. */
function counted<T>(items: readonly T[]): { items: readonly T[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(items as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { items: proxy, reads: () => reads };
}

describe('linear lookups', () => {
  it('podsBehind examines only the pods that share the rarest selector label', () => {
    for (const apps of [10, 200]) {
      const graph = new ClusterGraph('test', objectsFromYaml(fleet(apps)));
      const services = graph.byKind('Service');
      const matched = services.map((s) => graph.podsBehind(s).length);
      expect(matched.every((n) => n === 1)).toBe(true);
      expect(graph.work.selectorCandidates).toBe(apps);
    }
  });

  it('the readers of every registry value are found with one pass over the references', () => {
    for (const apps of [10, 200]) {
      const graph = new ClusterGraph('test', objectsFromYaml(fleet(apps)));
      const refs = serviceReferences(graph);
      const { items, reads } = counted(refs);
      const readersOf = readersIndex(items);
      const found = refs.filter((r) => r.via === 'configmap').map((r) => readersOf(r).length);
      expect(found).toEqual(Array(apps).fill(1));
      expect(reads()).toBeLessThanOrEqual(2 * refs.length);
    }
  });
});
