import { describe, expect, it } from 'vitest';
import { runRule } from '../tools/lib/core/rule-tester.ts';
import capacity from '../policies/resources-cluster-capacity.ts';
import { fingerprintOf } from '../tools/lib/core/fingerprint.ts';

const workload = (name: string, memory: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: apps
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: main
          image: example/${name}:1.0
          resources:
            requests: { cpu: 100m, memory: ${memory} }
            limits: { cpu: 100m, memory: ${memory} }
---
`;

describe('fingerprints', () => {
  it('depend on rule, cluster, object and path, not on lines or messages', () => {
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'a', name: 'web' };
    const a = fingerprintOf('images/pinned-tag', 'k3s', object, ['spec', 'template'], '');
    expect(fingerprintOf('images/pinned-tag', 'k3s', { ...object }, ['spec', 'template'])).toBe(a);
    expect(fingerprintOf('images/pinned-tag', 'kind', object, ['spec', 'template'])).not.toBe(a);
    expect(fingerprintOf('images/pinned-tag', 'k3s', { ...object, name: 'api' }, ['spec', 'template'])).not.toBe(a);
    expect(fingerprintOf('images/pinned-tag', 'k3s', object, ['spec'])).not.toBe(a);
  });

  it('a cluster-wide capacity finding keeps its fingerprint when a different workload becomes the largest', () => {
    const cluster = { capacity: { cpu: '8', memory: '1Gi', nodes: 1 } };
    const before = runRule(capacity, { name: 'web largest', yaml: workload('web', '800Mi') + workload('api', '300Mi'), cluster });
    const after = runRule(capacity, { name: 'api largest', yaml: workload('web', '300Mi') + workload('api', '800Mi'), cluster });
    expect(before.map((f) => f.object?.name)).toEqual(['web']);
    expect(after.map((f) => f.object?.name)).toEqual(['api']);
    expect(after[0].fingerprint).toBe(before[0].fingerprint);
  });
});
