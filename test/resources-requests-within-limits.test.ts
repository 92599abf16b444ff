import { describe, expect, it } from 'vitest';
import { ruleTester, runRule } from '../tools/lib/core/rule-tester.ts';
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
  ],
  invalid: [
    {
      name: 'cpu and memory requests above limits',
      yaml: deployment('{ cpu: "2", memory: 1Gi }', '{ cpu: 1500m, memory: 1G }'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', line: 11, message: 'container "web" of Deployment shop/web requests cpu 2 above its limit 1500m' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', line: 11, message: 'requests memory 1Gi above its limit 953.68Mi' },
      ],
    },
    {
      name: 'a LimitRange default limit below the written request',
      yaml: limitRange + deployment('{ cpu: 500m, memory: 64Mi }', '{}'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', line: 19, message: 'requests cpu 500m above its limit 200m (from LimitRange shop/defaults)' }],
    },
    {
      name: 'invalid quantities are findings, not crashes',
      yaml: deployment('{ cpu: 1 core, memory: 1GB }', '{ cpu: "-1", memory: 2Gi }'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.cpu', line: 11, message: '"1 core" has an unknown suffix " core"' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', line: 11, message: 'unknown suffix "GB"' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.limits.cpu', line: 12, message: '"-1" is negative' },
      ],
    },
    {
      name: 'memory in millibytes',
      yaml: deployment('{ memory: 500m }', '{ memory: 1Gi }'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].resources.requests.memory', line: 11, message: 'is a fraction of a byte (did you mean 500Mi?)' }],
    },
    {
      name: 'an invalid LimitRange default is reported once, on the LimitRange',
      yaml: limitRange.replace('memory: 128Mi', 'memory: lots') + deployment('{ cpu: 100m }', '{ cpu: 100m }') + '---\n' + deployment('{ cpu: 100m }', '{ cpu: 100m }').replace('name: web,', 'name: api,'),
      findings: [{ object: 'LimitRange shop/defaults', path: 'spec.limits[0].default.memory', line: 7, message: 'memory default of LimitRange shop/defaults: "lots" is not a quantity' }],
    },
  ],
});

describe('resources/requests-within-limits fix', () => {
  it('proposes the request equal to the limit', () => {
    const [finding] = runRule(rule, { name: 'fix', yaml: deployment('{ cpu: "2" }', '{ cpu: 1500m }') });
    expect(finding.fix).toBe('resources:\n  requests:\n    cpu: 1500m\n  limits:\n    cpu: 1500m');
  });
});
