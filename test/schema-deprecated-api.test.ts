import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-deprecated-api.ts';
import knownApi from '../policies/schema-known-api.ts';

const pdb = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  minAvailable: 1
`;

const hpa = `apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  maxReplicas: 3
`;

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets }
  versions:
    - { name: v1alpha1, served: true, storage: false, deprecated: true, deprecationWarning: "example.com/v1alpha1 Widget is deprecated; use example.com/v1" }
    - { name: v1, served: true, storage: true }
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: blue
  namespace: shop
`;

ruleTester(rule, {
  valid: [
    { name: 'policy/v1 at 1.33', yaml: pdb('policy/v1') },
    { name: 'a current CRD version', yaml: crd.replace('example.com/v1alpha1\nkind: Widget', 'example.com/v1\nkind: Widget') },
  ],
  invalid: [
    {
      name: 'policy/v1beta1 while 1.24 still serves it',
      cluster: { kubernetesVersion: '1.24' },
      yaml: pdb('policy/v1beta1'),
      findings: [{ object: 'PodDisruptionBudget shop/web', path: 'apiVersion', line: 1, message: 'policy/v1beta1 PodDisruptionBudget is deprecated: Kubernetes 1.25 removes it (cluster runs 1.24); use policy/v1' }],
    },
    {
      name: 'autoscaling/v2beta2 at 1.25',
      cluster: { kubernetesVersion: '1.25' },
      yaml: hpa,
      findings: [{ object: 'HorizontalPodAutoscaler shop/web', path: 'apiVersion', line: 1, message: 'autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated: Kubernetes 1.26 removes it (cluster runs 1.25); use autoscaling/v2 or autoscaling/v1' }],
    },
    {
      name: 'a version its CRD marks deprecated',
      yaml: crd,
      findings: [{ object: 'Widget shop/blue', path: 'apiVersion', line: 13, message: 'example.com/v1alpha1 Widget is deprecated by CustomResourceDefinition widgets.example.com ("example.com/v1alpha1 Widget is deprecated; use example.com/v1"); use example.com/v1' }],
    },
  ],
});

describe('raising kubernetesVersion shows what the upgrade breaks', () => {
  it('a warning while served, an error once removed', () => {
    const at = (version: string) => [
      ...runRule(rule, { name: version, yaml: pdb('policy/v1beta1'), cluster: { kubernetesVersion: version } }),
      ...runRule(knownApi, { name: version, yaml: pdb('policy/v1beta1'), cluster: { kubernetesVersion: version } }),
    ].map((f) => `${f.rule} ${f.severity}: ${f.message}`);
    expect(at('1.24')).toEqual(['schema/deprecated-api warning: policy/v1beta1 PodDisruptionBudget is deprecated: Kubernetes 1.25 removes it (cluster runs 1.24); use policy/v1']);
    expect(at('1.25')).toEqual(['schema/known-api error: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (cluster runs 1.25); use policy/v1']);
  });
});
