import { describe, it, expect } from 'vitest';
import { ClusterGraph } from '../tools/lib/core/graph.ts';
import { objectsFromYaml } from '../tools/lib/core/rule-tester.ts';
import { connectivityOf, formatConnectivity } from '../tools/lib/network/connectivity.ts';
import { appDeployment, appService, denyAllPolicy, networkPolicy } from './helpers/manifests.ts';

const workloads =
  appDeployment({ name: 'web', namespace: 'shop', image: 'example/web:1', selector: false }) +
  appDeployment({
    name: 'api',
    namespace: 'shop',
    image: 'example/api:1',
    selector: false,
    container: `          ports:
            - name: http
              containerPort: 8080
`,
  }) +
  appService('shop', 'api', `    - port: 80
      targetPort: http
    - name: admin
      port: 9000
`);

const denyAll = denyAllPolicy('shop');

const graphOf = (yaml: string) => new ClusterGraph('test', objectsFromYaml(yaml));

describe('connectivityOf', () => {
  it('without policies: every workload reaches every served pod port (itself included), and the outside both ways', () => {
    expect(connectivityOf(graphOf(workloads))).toEqual([
      { from: 'Deployment shop/api', to: 'Deployment shop/api', port: 8080, protocol: 'TCP' },
      { from: 'Deployment shop/api', to: 'Deployment shop/api', port: 9000, protocol: 'TCP' },
      { from: 'Deployment shop/api', to: 'anywhere', port: '*', protocol: '*' },
      { from: 'Deployment shop/web', to: 'Deployment shop/api', port: 8080, protocol: 'TCP' },
      { from: 'Deployment shop/web', to: 'Deployment shop/api', port: 9000, protocol: 'TCP' },
      { from: 'Deployment shop/web', to: 'anywhere', port: '*', protocol: '*' },
      { from: 'anywhere', to: 'Deployment shop/api', port: 8080, protocol: 'TCP' },
      { from: 'anywhere', to: 'Deployment shop/api', port: 9000, protocol: 'TCP' },
    ]);
  });

  it('external: false keeps workload-to-workload flows only', () => {
    expect(connectivityOf(graphOf(workloads), { external: false })).toHaveLength(4);
  });

  it('default deny leaves nothing', () => {
    expect(connectivityOf(graphOf(workloads + denyAll))).toEqual([]);
  });

  it('lists ipBlock peers and peerless rules as outside flows, with port ranges and named ports as written', () => {
    const yaml =
      workloads +
      denyAll +
      networkPolicy('shop', 'api', `  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
      ports:
        - port: http
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 30000
          endPort: 32767
        - port: https
    - ports:
        - port: 53
          protocol: UDP`);
    expect(connectivityOf(graphOf(yaml))).toEqual([
      { from: 'Deployment shop/api', to: 'anywhere', port: 53, protocol: 'UDP' },
      { from: 'Deployment shop/api', to: 'ipBlock 0.0.0.0/0', port: '30000-32767', protocol: 'TCP' },
      { from: 'Deployment shop/api', to: 'ipBlock 0.0.0.0/0', port: 'https', protocol: 'TCP' },
      { from: 'ipBlock 10.0.0.0/8 except 10.1.0.0/16', to: 'Deployment shop/api', port: 8080, protocol: 'TCP' },
    ]);
  });

  it('a flow needs both ends: egress at web plus ingress at api on the pod port behind the Service', () => {
    const yaml =
      workloads +
      denyAll +
      networkPolicy('shop', 'web-to-api', `  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: api`) +
      networkPolicy('shop', 'api-from-web', `  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
      ports:
        - port: 9000`);
    expect(connectivityOf(graphOf(yaml))).toEqual([{ from: 'Deployment shop/web', to: 'Deployment shop/api', port: 9000, protocol: 'TCP' }]);
  });
});

describe('formatConnectivity', () => {
  it('aligns columns and groups ports per pair', () => {
    expect(
      formatConnectivity([
        { from: 'Deployment shop/web', to: 'Deployment shop/api', port: 9000, protocol: 'TCP' },
        { from: 'Deployment shop/web', to: 'Deployment shop/api', port: 8080, protocol: 'TCP' },
        { from: 'Deployment shop/api', to: 'anywhere', port: '*', protocol: '*' },
      ]),
    ).toBe(
      [
        'FROM                 TO                   PORTS',
        'Deployment shop/api  anywhere             all ports',
        'Deployment shop/web  Deployment shop/api  8080/TCP, 9000/TCP',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing is allowed', () => {
    expect(formatConnectivity([])).toBe('no allowed connections\n');
  });
});
