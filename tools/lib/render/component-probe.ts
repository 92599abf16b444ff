// What a Kustomize component gives one namespace, asked of the real kustomize: a throwaway kustomization with
// `namespace: <ns>`, the cluster's own Namespace object as its one resource, and the component. The output is the
// Namespace as the component's patches leave it, and every object the component adds, placed in that namespace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { K8sObject } from '../core/types.ts';
import type { KustomizeBinary } from './kustomize.ts';
import { run } from './process.ts';
import { readYamlDocument, splitDocuments } from './rendered-yaml.ts';
import { renderMemoryLimitBytes } from './render.ts';

export type ComponentProbe = (componentDir: string, namespace: K8sObject) => Promise<K8sObject[] | undefined>;

const PROBE_TIMEOUT_MS = 60_000;

/**
 * A probe that renders with `kustomize`; each (component, Namespace object) is rendered once per probe.
 * Undefined where kustomize refuses: a component that patches objects a bare namespace does not have is no namespace convention.
 */
export function componentProbe(kustomize: KustomizeBinary): ComponentProbe {
  const cache = new Map<string, Promise<K8sObject[] | undefined>>();
  return (componentDir, namespace) => {
    const key = `${componentDir}\0${JSON.stringify(namespace)}`;
    let rendered = cache.get(key);
    if (!rendered) {
      rendered = renderComponentOn(kustomize, componentDir, namespace);
      cache.set(key, rendered);
    }
    return rendered;
  };
}

async function renderComponentOn(kustomize: KustomizeBinary, componentDir: string, namespace: K8sObject): Promise<K8sObject[] | undefined> {
  const name = namespace.metadata?.name;
  if (typeof name !== 'string' || name === '') return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-component-'));
  try {
    // kustomize takes a component only by a relative path
    const component = path.relative(dir, componentDir).split(path.sep).join('/');
    fs.writeFileSync(path.join(dir, 'namespace.yaml'), stringify(namespace));
    fs.writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: name, resources: ['namespace.yaml'], components: [component] }),
    );
    const result = await run(kustomize.command, [...kustomize.args, dir], { timeoutMs: PROBE_TIMEOUT_MS, memoryLimitBytes: renderMemoryLimitBytes() });
    if (result.code !== 0) return undefined;
    // kustomize's output, read as the render stage reads it
    const objects: K8sObject[] = [];
    for (const text of splitDocuments(result.stdout)) {
      let value: unknown;
      try {
        value = readYamlDocument(text);
      } catch {
        return undefined;
      }
      if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(value as K8sObject);
    }
    return objects;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
