// Cases that pin behaviour the other schema/image tests left open (found by mutation testing: each case here fails
// when one specific detail is wrong).
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/rule-tester.ts';
import { servedApiVersionsFor } from '../tools/lib/api-catalog.ts';
import knownApi from '../policies/schema-known-api.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';

ruleTester(knownApi, {
  valid: [
    {
      name: 'kinds of an aggregated API whose APIService names a backing Service',
      yaml: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1.things.example.io }
spec:
  group: things.example.io
  version: v1
  service: { name: things-api, namespace: things }
---
apiVersion: things.example.io/v1
kind: Thing
metadata: { name: a, namespace: things }
`,
    },
  ],
  invalid: [
    {
      name: 'an APIService without a service is a local registration, not an aggregated server: its kinds stay unknown',
      yaml: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1.things.example.io }
spec:
  group: things.example.io
  version: v1
---
apiVersion: things.example.io/v1
kind: Thing
metadata: { name: a, namespace: things }
`,
      findings: [{ object: 'Thing things/a', path: 'apiVersion', line: 8, message: 'no built-in API or CustomResourceDefinition in this cluster defines things.example.io/v1 Thing' }],
    },
  ],
});

// Deployment shop/web, image on line 9.
const web = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;

ruleTester(pinnedTag, {
  valid: [{ name: 'a pinned tag', yaml: web('nginx:1.27') }],
  invalid: [
    {
      name: 'forbidden tags match whatever their case',
      yaml: web('nginx:LATEST'),
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].image', line: 9, message: 'uses the floating tag "LATEST" in "nginx:LATEST"' }],
    },
  ],
});

describe('servedApiVersionsFor', () => {
  it('names core kinds by their bare version', () => {
    expect(servedApiVersionsFor('Pod', 33)).toEqual(['v1']);
    expect(servedApiVersionsFor('Deployment', 33)).toEqual(['apps/v1']);
  });
});
