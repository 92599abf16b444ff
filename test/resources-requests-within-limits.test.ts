import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, runRule, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/resources-requests-within-limits.ts';
import { containerLimitRange, webWithResources } from './helpers/manifests.ts';

// resources: is line 10, requests line 11, limits line 12.
const deployment = (requests: string, limits: string) =>
  webWithResources(`          resources:
            requests: ${requests}
            limits: ${limits}
`);

const limitRange = containerLimitRange('      default: { cpu: 200m, memory: 128Mi }\n');

ruleTester(rule, {
  valid: [
    { name: 'equal after unit conversion', yaml: deployment('{ cpu: "0.5", memory: 1Gi }', '{ cpu: 500m, memory: 1024Mi }') },
    { name: 'exponent and decimal suffixes', yaml: deployment('{ cpu: 1e-1, memory: 1G }', '{ cpu: "1", memory: 1e9 }') },
    { name: 'numbers as YAML numbers', yaml: deployment('{ cpu: 0.25, memory: 134217728 }', '{ cpu: 1, memory: 128Mi }') },
    { name: 'request only, no limit anywhere', yaml: deployment('{ cpu: 4, memory: 8Gi }', '{}') },
    { name: 'LimitRange default above the written request', yaml: limitRange + deployment('{ cpu: 100m, memory: 64Mi }', '{}') },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'cpu and memory requests above limits',
      yaml: deployment('{ ⟦1⟧cpu: "2", ⟦2⟧memory: 1Gi }', '{ cpu: 1500m, memory: 1G }'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', messageId: 'requestAboveLimit', data: { container: 'container "web" of Deployment shop/web', resource: 'cpu', requested: '2', requestOrigin: '', limit: '1500m', limitOrigin: '' } },
        { at: '2', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', messageId: 'requestAboveLimit', data: { container: 'container "web" of Deployment shop/web', resource: 'memory', requested: '1Gi', requestOrigin: '', limit: '953.68Mi', limitOrigin: '' } },
      ],
    },
    {
      name: 'a LimitRange default limit below the written request',
      yaml: limitRange + deployment('{ ⟦1⟧cpu: 500m, memory: 64Mi }', '{}'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', messageId: 'requestAboveLimit', data: { container: 'container "web" of Deployment shop/web', resource: 'cpu', requested: '500m', requestOrigin: '', limit: '200m', limitOrigin: ' (from LimitRange shop/defaults)' } },
      ],
    },
    {
      name: 'invalid quantities are findings, not crashes',
      yaml: deployment('{ ⟦1⟧cpu: 1 core, ⟦2⟧memory: 1GB }', '{ ⟦3⟧cpu: "-1", memory: 2Gi }'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', messageId: 'badQuantity', data: { resource: 'cpu', bound: 'requests', container: 'container "web" of Deployment shop/web', problem: '"1 core" has an unknown suffix " core" (use n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)' } },
        { at: '2', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', messageId: 'badQuantity', data: { resource: 'memory', bound: 'requests', container: 'container "web" of Deployment shop/web', problem: '"1GB" has an unknown suffix "GB" (use n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)' } },
        { at: '3', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits.cpu', messageId: 'badQuantity', data: { resource: 'cpu', bound: 'limits', container: 'container "web" of Deployment shop/web', problem: '"-1" is negative' } },
      ],
    },
    {
      name: 'memory in millibytes',
      yaml: deployment('{ ⟦1⟧memory: 500m }', '{ memory: 1Gi }'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', messageId: 'badQuantity', data: { resource: 'memory', bound: 'requests', container: 'container "web" of Deployment shop/web', problem: '"500m" is a fraction of a byte (did you mean 500Mi?)' } },
      ],
    },
    {
      name: 'an invalid LimitRange default is reported once, on the LimitRange',
      yaml: withMarkers(limitRange.replace('memory: 128Mi', 'memory: lots') + deployment('{ cpu: 100m }', '{ cpu: 100m }') + '---\n' + deployment('{ cpu: 100m }', '{ cpu: 100m }').replace('name: web,', 'name: api,'), '⟦1⟧memory: lots }'),
      findings: [
        { at: '1', object: 'LimitRange shop/defaults', path: 'spec.limits[0].default.memory', messageId: 'badQuantity', data: { resource: 'memory', bound: 'default', container: 'LimitRange shop/defaults', problem: '"lots" is not a quantity (expected a number with an optional suffix such as 500m, 0.5, 1Gi, 1G or 1e3)' } },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

describe('resources/requests-within-limits fix', () => {
  it('proposes the request equal to the limit', () => {
    const [finding] = runRule(rule, { name: 'fix', yaml: deployment('{ cpu: "2" }', '{ cpu: 1500m }') });
    expect(finding.fix).toBe('resources:\n  requests:\n    cpu: 1500m\n  limits:\n    cpu: 1500m');
  });
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-resources.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// 8 lines each.
const limitRange = (name: string, item: string) => `apiVersion: v1
kind: LimitRange
metadata: { name: ${name}, namespace: shop }
spec:
  limits:
    - type: Container
${item}
---
`;
return {
  valid: [
    {
      name: 'the first LimitRange by name supplies the default; a later one does not override it',
      yaml:
        limitRange('a-generous', '      default: { cpu: "1" }') +
        limitRange('b-tight', '      default: { cpu: 100m }') + `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - { name: app, image: app:1, resources: { requests: { cpu: 500m } } }
`,
    },
  ],
  invalid: [
    {
      name: 'the smallest negative quantity (-1n) is negative',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  containers:
    - name: app
      image: app:1
      resources: { requests: { ⟦1⟧cpu: "-1n" } }
`,
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].resources.requests.cpu', messageId: 'badQuantity', data: { resource: 'cpu', bound: 'requests', container: 'container "app" of Pod shop/p', problem: '"-1n" is negative' } },
      ],
    },
  ],
};
}
