import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule, { parseImage } from '../policies/images-pinned-tag.ts';
import { webDeployment } from './helpers/manifests.ts';

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
  ],
  invalid: [
    {
      name: 'latest tag',
      yaml: deployment('nginx:latest'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', line: 11, message: 'floating tag "latest"' }],
    },
    {
      name: 'no tag, registry with port',
      yaml: deployment('registry.local:5000/team/app'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', line: 11, message: 'no tag' }],
    },
    {
      name: 'init container without tag is found too',
      yaml: deployment('nats:2.10.22', '      initContainers:\n        - name: init\n          image: busybox\n'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].image', line: 11, message: 'container "init"' }],
    },
    {
      name: 'digest required',
      yaml: deployment('nats:2.10.22'),
      options: { requireDigest: true },
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', line: 11, message: 'without a @sha256 digest' }],
    },
    {
      name: 'missing image points at the container',
      yaml: deployment('').replace('          image: \n', ''),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0]', line: 10, message: 'has no image' }],
    },
  ],
});

describe('parseImage', () => {
  it('splits registry port from tag', () => {
    expect(parseImage('registry.local:5000/app')).toEqual({ name: 'registry.local:5000/app', digest: undefined });
    expect(parseImage('registry.local:5000/app:1.0@sha256:ab')).toEqual({ name: 'registry.local:5000/app', tag: '1.0', digest: 'sha256:ab' });
  });
});
