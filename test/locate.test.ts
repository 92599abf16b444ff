import { describe, expect, it } from 'vitest';
import { locate, memorySourceReader, nameMatches } from '../tools/lib/core/locate.ts';
import type { RenderedObject } from '../tools/lib/core/types.ts';
import { bareDeployment } from './helpers/manifests.ts';

const deployment = (name: string, image: string) => bareDeployment(name, 'app', image);

describe('nameMatches', () => {
  it('strips only the prefixes and suffixes that were applied', () => {
    const origin = { transformedBy: [], namePrefixes: ['dev-'], nameSuffixes: ['-v2'] };
    expect(nameMatches('dev-web-v2', 'web', origin)).toBe(true);
    expect(nameMatches('dev-web-v2', 'dev-web', origin)).toBe(true);
    expect(nameMatches('dev-web-v2', 'web-v2', origin)).toBe(true);
    expect(nameMatches('dev-webhook', 'web', origin)).toBe(false);
    expect(nameMatches('dev-web', 'web', { transformedBy: [] })).toBe(false);
    expect(nameMatches('web', 'web', undefined)).toBe(true);
  });
});

describe('locate through patches of similarly named objects', () => {
  it('blames the patch of the object, not a patch of another object whose name it contains', () => {
    const files = {
      'k/kustomization.yaml': 'namePrefix: dev-\nresources: [../base]\npatches:\n  - path: webhook.yaml\n  - path: web.yaml\n',
      'k/webhook.yaml': deployment('webhook', 'app:latest'),
      'k/web.yaml': deployment('web', 'app:1.0'),
      'base/deployments.yaml': deployment('web', 'app:0.9') + '---\n' + deployment('webhook', 'app:0.9'),
    };
    const rendered: RenderedObject = {
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dev-webhook' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'app:latest' }] } } } },
      origin: { file: 'base/deployments.yaml', transformedBy: ['k/kustomization.yaml'], namePrefixes: ['dev-'] },
      entryPoint: 'k',
    };
    const read = memorySourceReader(files);
    expect(locate(rendered, ['spec', 'template', 'spec', 'containers', 0, 'image'], read)).toEqual({ file: 'k/webhook.yaml', line: 10, column: 11 });
    // a field no patch writes: the object's own document, found by its unprefixed name among several in one file
    expect(locate(rendered, ['spec', 'template', 'spec', 'containers', 0, 'resources'], read)).toEqual({ file: 'base/deployments.yaml', line: 20, column: 11 });
  });
});
