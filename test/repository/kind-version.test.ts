// The Kubernetes version kind runs is written twice (the node image in kind-config.yaml, kubernetesVersion in
// policies/config.yaml); the checker judges kind by the second, so the two must name the same minor release.
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function nodeMinors(kindConfig: string): string[] {
  const config = parseAllDocuments(kindConfig).map((d) => d.toJS())[0] as any;
  return (config.nodes ?? []).map((node: any) => {
    const match = /^kindest\/node:v(\d+\.\d+)\.\d+/.exec(String(node.image ?? ''));
    return match ? match[1] : `unpinned image ${JSON.stringify(node.image)}`;
  });
}

function configuredMinor(config: string, cluster: string): string {
  const value = parse(config) as any;
  return String(value.clusters?.[cluster]?.kubernetesVersion ?? value.defaults?.kubernetesVersion).replace(/^v/, '').split('.').slice(0, 2).join('.');
}

describe('kind runs the Kubernetes version the checker judges it by', () => {
  it('every node image of clusters/kind/kind-config.yaml is the minor release policies/config.yaml names for kind', () => {
    const minors = nodeMinors(fs.readFileSync(path.join(ROOT, 'clusters/kind/kind-config.yaml'), 'utf8'));
    const configured = configuredMinor(fs.readFileSync(path.join(ROOT, 'policies/config.yaml'), 'utf8'), 'kind');
    expect(minors.length).toBeGreaterThan(0);
    expect(minors).toEqual(minors.map(() => configured));
  });

  it('tells a mismatch apart', () => {
    expect(nodeMinors('kind: Cluster\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.32.2\n')).toEqual(['1.32']);
    expect(configuredMinor('defaults: { kubernetesVersion: "1.33" }\nclusters:\n  kind: { kubernetesVersion: "1.34" }\n', 'kind')).toBe('1.34');
  });
});
