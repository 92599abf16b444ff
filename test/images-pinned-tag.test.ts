import { describe, expect, it } from 'vitest';
import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule, { parseImage } from '../policies/images-pinned-tag.ts';
import { webDeployment } from './helpers/manifests.ts';
import { shopWorkload } from './helpers/manifests.ts';

const deployment = (image: string, extra = '') => webDeployment(`${extra}      containers:
        - name: web
          image: ${image}
`);

ruleTester(rule, {
  valid: [
    { name: 'exact tag', yaml: deployment('nats:2.10.22-alpine') },
    { name: 'registry with port and tag', yaml: deployment('registry.local:5000/team/app:1.2.3') },
    { name: 'digest only', yaml: deployment('nats@sha256:' + 'a'.repeat(64)) },
    { name: 'digest required and present', yaml: deployment('nats:2.10@sha256:' + 'b'.repeat(64)), options: { requireDigest: true } },
    ...casesFoundByMutation().valid,
  ],
  invalid: [
    {
      name: 'latest tag',
      yaml: withMarkers(deployment('nginx:latest'), '⟦1⟧image: nginx:latest'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', messageId: 'floatingTag', data: { container: 'container "web" of Deployment shop/web', image: 'nginx:latest', tag: 'latest' } },
      ],
    },
    {
      name: 'no tag, registry with port',
      yaml: withMarkers(deployment('registry.local:5000/team/app'), '⟦1⟧image: registry.local:5000/team/app'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', messageId: 'noTag', data: { container: 'container "web" of Deployment shop/web', image: 'registry.local:5000/team/app' } },
      ],
    },
    {
      name: 'init container without tag is found too',
      yaml: deployment('nats:2.10.22', '      initContainers:\n        - name: init\n          ⟦1⟧image: busybox\n'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].image', messageId: 'noTag', data: { container: 'container "init" of Deployment shop/web', image: 'busybox' } },
      ],
    },
    {
      name: 'digest required',
      yaml: withMarkers(deployment('nats:2.10.22'), '⟦1⟧image: nats:2.10.22'),
      options: { requireDigest: true },
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', messageId: 'noDigest', data: { container: 'container "web" of Deployment shop/web', image: 'nats:2.10.22' } },
      ],
    },
    {
      name: 'missing image points at the container',
      yaml: withMarkers(deployment('').replace('          image: \n', ''), '        - ⟦1⟧name: web'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0]', messageId: 'noImage', data: { container: 'container "web" of Deployment shop/web' } },
      ],
    },
    {
      name: 'the README example: latest tag on a Pod',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - name: web
      ⟦1⟧image: nginx:latest
`,
      findings: [
        {
          at: '1',
          object: 'Pod shop/web',
          path: 'spec.containers[0].image',
          messageId: 'floatingTag',
          data: { container: 'container "web" of Pod shop/web', tag: 'latest', image: 'nginx:latest' },
        },
      ],
    },
    ...casesFoundByMutation().invalid,
  ],
});

describe('parseImage', () => {
  it('splits registry port from tag', () => {
    expect(parseImage('registry.local:5000/app')).toEqual({ name: 'registry.local:5000/app', digest: undefined });
    expect(parseImage('registry.local:5000/app:1.0@sha256:ab')).toEqual({ name: 'registry.local:5000/app', tag: '1.0', digest: 'sha256:ab' });
  });
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-schema.test.ts.
function casesFoundByMutation(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// Deployment shop/web, image on line 9.
const web = (image: string) => shopWorkload('web', `          image: ${image}\n`);
return {
  valid: [{ name: 'a pinned tag', yaml: web('nginx:1.27') }],
  invalid: [
    {
      name: 'forbidden tags match whatever their case',
      yaml: withMarkers(web('nginx:LATEST'), '⟦1⟧image: nginx:LATEST'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', messageId: 'floatingTag', data: { container: 'container "web" of Deployment shop/web', image: 'nginx:LATEST', tag: 'LATEST' } },
      ],
    },
  ],
};
}
