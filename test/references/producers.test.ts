import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { K8sObject } from '../../tools/lib/core/types.ts';
import { producedBy } from '../../tools/lib/references/producers.ts';
import { closest, didYouMean, editDistance } from '../../tools/lib/references/did-you-mean.ts';

const produced = (yaml: string) => producedBy(parse(yaml) as K8sObject).map(({ kind, namespace, name, keys }) => ({ kind, namespace, name, keys }));

describe('producers', () => {
  it('ExternalSecret: target name (default: its own name); template keys replace data keys unless mergePolicy Merge', () => {
    expect(produced(`apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: neo4j-auth, namespace: fleet }
spec:
  target: { template: { data: { NEO4J_AUTH: "neo4j/{{ .password }}" } } }
  data: [{ secretKey: password, remoteRef: { key: k, property: password } }]
`)).toEqual([{ kind: 'Secret', namespace: 'fleet', name: 'neo4j-auth', keys: ['NEO4J_AUTH'] }]);
    expect(produced(`apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: { name: es, namespace: fleet }
spec:
  target: { name: creds, template: { mergePolicy: Merge, data: { URL: x } } }
  data: [{ secretKey: password, remoteRef: { key: k } }]
`)).toEqual([{ kind: 'Secret', namespace: 'fleet', name: 'creds', keys: ['URL', 'password'] }]);
  });

  it('ExternalSecret with dataFrom: keys unknown; creationPolicy None: nothing', () => {
    expect(produced(`apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: es, namespace: fleet }
spec: { dataFrom: [{ extract: { key: k } }] }
`)).toEqual([{ kind: 'Secret', namespace: 'fleet', name: 'es', keys: undefined }]);
    expect(produced(`apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: { name: es, namespace: fleet }
spec: { target: { creationPolicy: None }, data: [] }
`)).toEqual([]);
  });

  it('cert-manager Certificate: secretName with the TLS keys and the requested extra formats', () => {
    expect(produced(`apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: ca, namespace: cert-manager }
spec: { secretName: homelab-ca, additionalOutputFormats: [{ type: CombinedPEM }], keystores: { pkcs12: { create: true } } }
`)).toEqual([{ kind: 'Secret', namespace: 'cert-manager', name: 'homelab-ca', keys: ['tls.crt', 'tls.key', 'ca.crt', 'tls-combined.pem', 'keystore.p12', 'truststore.p12'] }]);
  });

  it('a Certificate of another API group produces nothing', () => {
    expect(produced('apiVersion: example.com/v1\nkind: Certificate\nmetadata: { name: x, namespace: y }\nspec: { secretName: z }\n')).toEqual([]);
  });

  it('Flux HelmRelease: release [targetNamespace-]name, <release>-<chart> unless the release contains the chart name', () => {
    expect(produced(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web, namespace: flux-system }
spec: { targetNamespace: shop, chart: { spec: { chart: nginx } } }
`)).toEqual([{ kind: 'ServiceAccount', namespace: 'shop', name: 'shop-web-nginx', keys: undefined }]);
    expect(produced(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: cert-manager, namespace: cert-manager }
spec: { chart: { spec: { chart: cert-manager } }, values: { serviceAccount: { name: cm-controller } } }
`)).toEqual([{ kind: 'ServiceAccount', namespace: 'cert-manager', name: 'cm-controller', keys: undefined }]);
    expect(produced(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: x, namespace: y }
spec: { chart: { spec: { chart: c } }, values: { serviceAccount: { create: false } } }
`)).toEqual([]);
  });

  it('Argo CD Application with a chart: helm.releaseName, destination namespace, values as YAML text or object; fullnameOverride wins', () => {
    expect(produced(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: external-secrets, namespace: argocd }
spec:
  destination: { namespace: external-secrets }
  source: { chart: external-secrets, helm: { values: "fullnameOverride: eso" } }
`)).toEqual([{ kind: 'ServiceAccount', namespace: 'external-secrets', name: 'eso', keys: undefined }]);
    expect(produced(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: app, namespace: argocd }
spec: { destination: { namespace: ns }, source: { path: apps/web } }
`)).toEqual([]);
  });

  it('the produces annotation, with and without a namespace', () => {
    expect(produced(`apiVersion: v1
kind: ConfigMap
metadata: { name: operator, namespace: shop, annotations: { policy-check.dev/produces: "Secret/token, ServiceAccount/ops/runner, bad" } }
`)).toEqual([
      { kind: 'Secret', namespace: 'shop', name: 'token', keys: undefined },
      { kind: 'ServiceAccount', namespace: 'ops', name: 'runner', keys: undefined },
    ]);
  });
});

describe('did you mean', () => {
  it('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('closest first, ties alphabetical, at most three, never the name itself', () => {
    expect(closest('web', ['worker', 'web', 'wbe', 'api', 'webs', 'db'])).toEqual(['webs', 'db', 'wbe']);
  });
  it('phrases one, several, or none', () => {
    expect(didYouMean('a4co-confg', ['a4co-config'], 'none')).toBe('; did you mean "a4co-config"?');
    expect(didYouMean('x', [], 'no ConfigMap exists in namespace shop')).toBe('; no ConfigMap exists in namespace shop');
  });
});
