// Cases that pin behaviour the other schema/image tests left open (found by mutation testing: each case here fails
// when one specific detail is wrong).
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import { servedApiVersionsFor } from '../tools/lib/schema/api-catalog.ts';
import knownApi from '../policies/schema-known-api.ts';
import pinnedTag from '../policies/images-pinned-tag.ts';
import { shopWorkload } from './helpers/manifests.ts';

// APIService v1.things.example.io (`spec` is its further spec lines, each ending with a newline), then Thing things/a on line 8 (one later per spec line).
const thingsApi = (spec = '') => `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1.things.example.io }
spec:
  group: things.example.io
  version: v1
${spec}---
apiVersion: things.example.io/v1
kind: Thing
metadata: { name: a, namespace: things }
`;

ruleTester(knownApi, {
  valid: [
    {
      name: 'kinds of an aggregated API whose APIService names a backing Service',
      yaml: thingsApi('  service: { name: things-api, namespace: things }\n'),
    },
  ],
  invalid: [
    {
      name: 'an APIService without a service is a local registration, not an aggregated server: its kinds stay unknown',
      yaml: thingsApi(),
      findings: [{ object: 'Thing things/a', path: 'apiVersion', line: 8, message: 'no built-in API or CustomResourceDefinition in this cluster defines things.example.io/v1 Thing' }],
    },
  ],
});

// Deployment shop/web, image on line 9.
const web = (image: string) => shopWorkload('web', `          image: ${image}\n`);

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
