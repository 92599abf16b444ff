// Cases that pin behaviour the other security tests left open (found by mutation testing: each case here fails when
// one specific detail of the Pod Security Standards checks is wrong).
import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-pod-security.ts';
import { podSecurityNamespace } from './helpers/manifests.ts';

// The cluster minimum is baseline, so the namespace label decides.
const baseline = { podSecurityMinimum: 'baseline' as const };

// Namespace shop at baseline (7 lines), then Pod shop/p from line 8 (spec: on line 11); `spec` is the lines under spec:, indented two spaces.
const baselinePod = (spec: string, version?: string) => `${podSecurityNamespace('shop', 'baseline', version)}apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
${spec}`;

ruleTester(rule, {
  valid: [
    {
      name: 'hostPort 0 means no host port',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, ports: [{ containerPort: 80, hostPort: 0 }] }
`),
    },
    {
      name: 'procMount Default is allowed',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, securityContext: { procMount: Default } }
`),
    },
    {
      name: 'net.ipv4.tcp_keepalive_time is a safe sysctl from policy 1.29 on',
      cluster: { kubernetesVersion: '1.29.0', podSecurityMinimum: 'baseline' },
      yaml: baselinePod(`  securityContext:
    sysctls: [{ name: net.ipv4.tcp_keepalive_time, value: "600" }]
  containers:
    - { name: app, image: app:1 }
`),
    },
  ],
  invalid: [
    {
      name: 'any procMount other than Default is refused, not only Unmasked',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, securityContext: { procMount: Masked2 } }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].securityContext.procMount', line: 13, message: 'must not set securityContext.procMount to "Masked2"' }],
    },
    {
      name: 'net.ipv4.tcp_keepalive_time is unsafe under policy 1.28',
      cluster: { kubernetesVersion: '1.28.0', podSecurityMinimum: 'baseline' },
      yaml: baselinePod(`  securityContext:
    sysctls: [{ name: net.ipv4.tcp_keepalive_time, value: "600" }]
  containers:
    - { name: app, image: app:1 }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.securityContext.sysctls[0].name', line: 13, message: 'must not set the unsafe sysctl "net.ipv4.tcp_keepalive_time"' }],
    },
    {
      name: 'NET_RAW is not among the capabilities baseline lets a container add',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, securityContext: { capabilities: { add: [NET_RAW] } } }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].securityContext.capabilities.add', line: 13, message: 'must not add "NET_RAW"' }],
    },
    {
      name: 'hostIPC is refused like hostNetwork and hostPID',
      cluster: baseline,
      yaml: baselinePod(`  hostIPC: true
  containers:
    - { name: app, image: app:1 }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.hostIPC', line: 12, message: 'hostIPC' }],
    },
    {
      name: 'a privileged init container is refused',
      cluster: baseline,
      yaml: baselinePod(`  initContainers:
    - { name: setup, image: s:1, securityContext: { privileged: true } }
  containers:
    - { name: app, image: app:1 }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.initContainers[0].securityContext.privileged', line: 13, message: 'must not set securityContext.privileged=true' }],
    },
    {
      name: 'a non-zero hostPort is refused',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, ports: [{ containerPort: 80, hostPort: 8080 }] }
`),
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].ports[0].hostPort', line: 13, message: 'must not set hostPort (8080)' }],
    },
  ],
});

// Namespace shop at restricted (7 lines), then a Pod that meets restricted except for what `capabilities` adds (container on line 16).
const restrictedPod = (capabilities: string) => `${podSecurityNamespace('shop', 'restricted')}apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
  containers:
    - name: app
      image: app:1
      securityContext: { allowPrivilegeEscalation: false, capabilities: ${capabilities} }
`;

ruleTester(rule, {
  valid: [{ name: 'restricted lets a container add NET_BIND_SERVICE after dropping ALL', yaml: restrictedPod('{ drop: [ALL], add: [NET_BIND_SERVICE] }') }],
  invalid: [
    {
      name: 'restricted refuses adding CHOWN, although baseline allows it',
      yaml: restrictedPod('{ drop: [ALL], add: [CHOWN] }'),
      findings: [{ object: 'Pod shop/p', path: 'spec.containers[0].securityContext.capabilities.add', line: 16, message: 'must not add "CHOWN" (only "NET_BIND_SERVICE" may be added)' }],
    },
  ],
});
