// checkCluster owns defaulting, duplicates, evaluate, locate and waive; the RuleTester goes through it.
import { describe, expect, it } from 'vitest';
import { objectsFromYaml, runRule } from '../../tools/lib/core/rule-tester.ts';
import { checkCluster, withDefaultNamespaces } from '../../tools/lib/core/check-cluster.ts';
import { defaultConfig } from '../../tools/lib/core/config.ts';
import { memorySourceReader } from '../../tools/lib/core/locate.ts';
import pinnedTag from '../../policies/images-pinned-tag.ts';

const pod = (name: string, image: string, annotations = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${annotations}spec:
  containers:
    - name: app
      image: ${image}
`;

const WAIVED = `  annotations:
    policy-check.dev/waivers: |
      - rule: images/pinned-tag
        reason: the vendor publishes only a floating tag for this image
        expires: 2099-01-01
`;

describe('checkCluster', () => {
  it('rule tests see waivers: an annotation waiver suppresses the finding', () => {
    const [finding] = runRule(pinnedTag, { name: 'waived', yaml: pod('web', 'nginx:latest', WAIVED) });
    expect(finding.suppressed).toEqual({ kind: 'annotation', reason: 'the vendor publishes only a floating tag for this image', expires: '2099-01-01' });
    expect(finding.location).toEqual({ file: 'case.yaml', line: 13, column: 7 });
  });

  it('defaults namespaces without changing its input', () => {
    const objects = objectsFromYaml(pod('web', 'nginx:1.27'));
    const raw = [{ ...objects[0], object: { ...objects[0].object, metadata: { name: 'web' } } }];
    const copied = withDefaultNamespaces(raw);
    expect(copied[0].object.metadata.namespace).toBe('default');
    expect(raw[0].object.metadata).toEqual({ name: 'web' });
  });

  it('reports the same object from two entry points once, at its file, naming the other', () => {
    const yaml = pod('web', 'nginx:1.27');
    const [one] = objectsFromYaml(yaml, 'apps/a/web.yaml');
    const [two] = objectsFromYaml(yaml, 'apps/b/web.yaml');
    const { findings } = checkCluster({
      objects: [{ ...one, entryPoint: 'flux-system/a' }, { ...two, entryPoint: 'flux-system/b' }],
      settings: { name: 'c', kubernetesVersion: '1.33', podSecurityMinimum: 'restricted' },
      config: defaultConfig(),
      rules: [pinnedTag],
      sources: memorySourceReader({ 'apps/a/web.yaml': yaml, 'apps/b/web.yaml': yaml }),
      today: new Date('2026-12-01'),
    });
    expect(findings.map((f) => ({ rule: f.rule, message: f.message, location: f.location, related: f.related }))).toEqual([
      {
        rule: 'render/duplicate-object',
        message: 'Pod default/web is rendered by both flux-system/a and flux-system/b',
        location: { file: 'apps/b/web.yaml', line: 1, column: 1 },
        related: [{ message: 'also rendered by flux-system/a', location: { file: 'apps/a/web.yaml', line: 1, column: 1 }, object: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: 'web' } }],
      },
    ]);
  });
});
