// Cases that pin behaviour the other ports tests left open (found by mutation testing: each case here fails when one
// specific detail of Service resolution or port matching is wrong).
import { describe, expect, it } from 'vitest';
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import { parsePortNumber } from '../tools/lib/ports/port-model.ts';
import dangling from '../policies/ports-dangling-reference.ts';
import namedTargetPort from '../policies/ports-named-target-port.ts';
import envFromRegistry from '../policies/ports-env-from-registry.ts';
import { shopWorkload } from './helpers/manifests.ts';

describe('parsePortNumber bounds', () => {
  it('accepts 1..65535 and nothing outside', () => {
    expect(parsePortNumber(65535)).toBe(65535);
    expect(parsePortNumber('65535')).toBe(65535);
    expect(parsePortNumber(1)).toBe(1);
    expect(parsePortNumber(65536)).toBeUndefined();
    expect(parsePortNumber(0)).toBeUndefined();
  });
});

// A Service and its Namespace: 9 lines plus the spec lines (11 for a two-line spec).
const service = (namespace: string, name: string, spec: string) => `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
`;

// 9 lines; the env value on the last line.
const client = (value: string) => shopWorkload('client', `          env: [{ name: TARGET, value: "${value}" }]\n`);

ruleTester(dangling, {
  valid: [
    {
      name: 'a headless Service reaches the pods\' target ports',
      yaml: service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 80, targetPort: 5432 }]') + client('db:5432'),
    },
    {
      name: 'an ExternalName Service is not checked for ports',
      yaml: service('shop', 'ext', '  type: ExternalName\n  externalName: db.example.com\n  ports: [{ port: 80 }]') + client('ext:5432'),
    },
    {
      name: 'a.b names Service a in namespace b when the local Service b is not headless',
      yaml:
        service('shop', 'db', '  selector: { app: db }\n  ports: [{ port: 5432 }]') +
        service('db', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') +
        client('web.db:80'),
    },
    {
      name: 'a.b names pod a of the local headless Service b',
      yaml:
        service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 5432 }]') +
        service('db', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') +
        client('db-0.db:5432'),
    },
  ],
  invalid: [
    {
      name: 'an ephemeral container\'s port is not reachable behind a headless Service',
      yaml: service('shop', 'db', '  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 5432 }]') + `apiVersion: v1
kind: Pod
metadata: { name: db, namespace: shop, labels: { app: db } }
spec:
  containers: [{ name: db, image: db:1 }]
  ephemeralContainers: [{ name: debug, image: busybox:1, ports: [{ containerPort: 9999 }] }]
---
` + client('db:9999'),
      findings: [{ object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', line: 28, message: 'dials "db:9999", but Service shop/db exposes 5432/TCP, not 9999' }],
    },
    {
      name: 'https without a port dials 443',
      yaml: service('shop', 'web', '  selector: { app: web }\n  ports: [{ port: 80 }]') + client('https://web.shop'),
      findings: [{ object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', line: 20, message: 'dials "https://web.shop", but Service shop/web exposes 80/TCP, not 443' }],
    },
    {
      name: 'a scheme makes a bare Service name a dependency (http dials 80)',
      yaml: service('shop', 'web', '  selector: { app: web }\n  ports: [{ port: 8080 }]') + client('http://web'),
      findings: [{ object: 'Deployment shop/client', path: 'spec.template.spec.containers[0].env[0].value', line: 20, message: 'dials "http://web", but Service shop/web exposes 8080/TCP, not 80' }],
    },
  ],
});

ruleTester(namedTargetPort, {
  valid: [
    {
      name: 'an ExternalName Service routes to no pods, whatever its selector says',
      yaml: `apiVersion: v1
kind: Service
metadata: { name: ext, namespace: shop }
spec:
  type: ExternalName
  externalName: api.example.com
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec:
  containers: [{ name: web, image: web:1, ports: [{ name: web, containerPort: 8080 }] }]
`,
    },
    {
      name: 'probes of ephemeral containers are not checked (the API server drops them)',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers: [{ name: web, image: web:1 }]
  ephemeralContainers:
    - { name: debug, image: busybox:1, livenessProbe: { httpGet: { path: /, port: http } } }
`,
    },
  ],
  invalid: [
    {
      name: 'a probe of a regular container naming an undeclared port',
      yaml: `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  containers:
    - { name: web, image: web:1, livenessProbe: { httpGet: { path: /, port: http } } }
`,
      findings: [{ object: 'Pod shop/web', path: 'spec.containers[0].livenessProbe.httpGet.port', line: 6, message: 'uses port name "http", which the container does not declare' }],
    },
  ],
});

// The registry (8 lines) holds two keys with the value 8080; Service shop/web (registry key WEB_PORT) selects app: web.
const registryAndWebService = `apiVersion: v1
kind: ConfigMap
metadata: { name: service-ports, namespace: shop }
data:
  ALPHA_PORT: "8080"
  WEB_PORT: "8080"
  SUPPORT: "8080"
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: 8080 }]
---
`;
// Deployment shop/worker from line 16; container on line 24, its env or args on line 25.
const worker = (containerFields: string) => `${registryAndWebService}apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: shop }
spec:
  template:
    metadata: { labels: { app: worker } }
    spec:
      containers:
        - name: worker
${containerFields}`;

ruleTester(envFromRegistry, {
  valid: [
    { name: 'a name merely ending in ...PORT (SUPPORT) is not a port variable', yaml: worker('          env: [{ name: SUPPORT, value: "8080" }]\n') },
  ],
  invalid: [
    {
      name: 'a Service that does not select the workload does not decide its registry key',
      yaml: worker('          env: [{ name: WORKER_PORT, value: "8080" }]\n'),
      findings: [{ object: 'Deployment shop/worker', path: 'spec.template.spec.containers[0].env[0].value', line: 25, message: 'env WORKER_PORT of container "worker" hardcodes port 8080: read ALPHA_PORT from ConfigMap shop/service-ports' }],
    },
    {
      name: 'a single-dash port flag followed by its value',
      yaml: worker('          args: ["-port", "9000"]\n'),
      findings: [{ object: 'Deployment shop/worker', path: 'spec.template.spec.containers[0].args[1]', line: 25, message: 'args of container "worker" hardcodes port 9000 in -port' }],
    },
  ],
});
