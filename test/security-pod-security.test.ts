import { withMarkers, ruleTester, type InvalidRuleTestCase, type RuleTestCase } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-pod-security.ts';
import { podSecurityNamespace, webDeployment } from './helpers/manifests.ts';


// A Deployment that meets restricted; cases below change one thing at a time.
const compliant = webDeployment(`      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
`);

const userNamespacePod = webDeployment(`      hostUsers: false
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          procMount: Unmasked
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
`);

const windowsPod = (version: string) => `${podSecurityNamespace('win', 'restricted', version)}apiVersion: v1
kind: Pod
metadata:
  name: iis
  namespace: win
spec:
  os:
    name: windows
  securityContext:
    runAsNonRoot: true
  containers:
  - name: iis
    image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
`;

const hostProbe = `apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  containers:
  - name: app
    image: app:1.0
    livenessProbe:
      httpGet:
        host: 10.0.0.1
        port: 8080
`;

const rootAtPodOnly = webDeployment(`      securityContext:
        runAsNonRoot: true
        runAsUser: 0
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          runAsUser: 1000
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
      initContainers:
      - name: migrate
        image: flyway:10
        securityContext:
          runAsUser: 1000
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
`);

const containerRoot = (versionLabel: string) => `${podSecurityNamespace('shop', 'restricted', versionLabel)}apiVersion: v1
kind: Pod
metadata:
  name: legacy
  namespace: shop
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: app
    image: legacy:2.1
    securityContext:
      runAsUser: 0
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
`;

ruleTester(rule, {
  valid: [
    { name: 'a Deployment that meets restricted', yaml: compliant },
    {
      name: 'seccomp Localhost with a localhostProfile',
      yaml: compliant.replace('type: RuntimeDefault', 'type: Localhost\n          localhostProfile: profiles/web.json'),
    },
    {
      name: 'NET_BIND_SERVICE is the one capability restricted lets a container add',
      yaml: compliant.replace('drop: ["ALL"]', 'drop: ["ALL"]\n            add: ["NET_BIND_SERVICE"]'),
    },
    {
      name: 'a volume without a source is defaulted to emptyDir before admission',
      yaml: `${compliant}      volumes:\n      - name: scratch\n      - name: config\n        configMap:\n          name: web\n`,
    },
    {
      name: 'runs as root in a namespace that enforces baseline, when the cluster minimum is baseline',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: `${podSecurityNamespace('tools', 'baseline')}apiVersion: batch/v1
kind: Job
metadata:
  name: backup
  namespace: tools
spec:
  template:
    spec:
      securityContext:
        runAsUser: 0
      containers:
      - name: backup
        image: restic:0.17
`,
    },
    {
      name: 'host network in a privileged namespace when the minimum allows privileged',
      cluster: { podSecurityMinimum: 'privileged' },
      yaml: `${podSecurityNamespace('kube-system', 'privileged')}apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: cni
  namespace: kube-system
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: cni
        image: flannel:0.25
        securityContext:
          privileged: true
`,
    },
    { name: 'Windows pods are exempt from the Linux-only restricted checks from v1.25', yaml: windowsPod('latest') },
    {
      name: 'probe host is allowed before policy v1.34',
      cluster: { podSecurityMinimum: 'baseline', kubernetesVersion: '1.33' },
      yaml: hostProbe,
    },
    {
      name: 'hostUsers: false relaxes runAsNonRoot (restricted) from v1.35, and procMount at baseline',
      cluster: { podSecurityMinimum: 'baseline', kubernetesVersion: '1.35' },
      yaml: userNamespacePod,
    },
    { name: 'runAsUser: 0 is not checked by policy v1.22', yaml: containerRoot('v1.22') },
    {
      name: 'policy v1.18 has no restricted seccomp, capabilities or runAsUser checks',
      yaml: containerRoot('v1.18').replace('    seccompProfile:\n      type: RuntimeDefault\n', '').replace('runAsUser: 0', 'runAsUser: 1000'),
    },
    ...casesFoundByMutation1().valid, ...casesFoundByMutation2().valid,
  ],
  invalid: [
    {
      name: 'pod says runAsNonRoot: true, one container says false',
      yaml: `${compliant}      - name: sidecar
        image: envoy:1.31
        securityContext:
          ⟦1⟧runAsNonRoot: false
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
`,
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[1].securityContext.runAsNonRoot', messageId: 'violation', data: { check: 'runAsNonRoot', level: 'restricted', minor: 33, problem: 'container "sidecar" must not set securityContext.runAsNonRoot=false', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'runAsUser: 0 at the pod is forbidden even when every container overrides it',
      yaml: withMarkers(rootAtPodOnly, '⟦1⟧runAsUser: 0'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.securityContext.runAsUser', messageId: 'violation', data: { check: 'runAsUser', level: 'restricted', minor: 33, problem: 'the pod must not set securityContext.runAsUser=0', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'runAsUser: 0 in a container from policy v1.23',
      yaml: withMarkers(containerRoot('v1.23'), '⟦1⟧runAsUser: 0'),
      findings: [
        { at: '1', object: 'Pod shop/legacy', path: 'spec.containers[0].securityContext.runAsUser', messageId: 'violation', data: { check: 'runAsUser', level: 'restricted', minor: 23, problem: 'container "app" must not set securityContext.runAsUser=0', levelNote: 'namespace shop enforces restricted' } },
      ],
    },
    {
      name: 'seccomp Localhost without localhostProfile passes the standard but not API validation',
      yaml: withMarkers(compliant.replace('type: RuntimeDefault', 'type: Localhost'), '⟦1⟧seccompProfile:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.securityContext.seccompProfile.localhostProfile', messageId: 'localhostProfile', data: { check: 'seccompProfile.localhostProfile', problem: 'the pod sets securityContext.seccompProfile.type=Localhost without localhostProfile; the API server rejects it' } },
      ],
    },
    {
      name: 'seccomp Unconfined on a container',
      yaml: compliant.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n          seccompProfile:\n            ⟦1⟧type: Unconfined'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.seccompProfile.type', messageId: 'violation', data: { check: 'seccompProfile_restricted', level: 'restricted', minor: 33, problem: 'container "app" must not set securityContext.seccompProfile.type to "Unconfined"', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'no seccomp profile at pod or container',
      yaml: withMarkers(compliant.replace('        seccompProfile:\n          type: RuntimeDefault\n', ''), '        ⟦1⟧securityContext:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.seccompProfile', messageId: 'violation', data: { check: 'seccompProfile_restricted', level: 'restricted', minor: 33, problem: 'container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost" (or the pod securityContext must)', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'adding SYS_ADMIN under restricted',
      yaml: compliant.replace('drop: ["ALL"]', 'drop: ["ALL"]\n            ⟦1⟧add: ["SYS_ADMIN"]'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.capabilities.add', messageId: 'violation', data: { check: 'capabilities_restricted', level: 'restricted', minor: 33, problem: 'container "app" must not add "SYS_ADMIN" (only "NET_BIND_SERVICE" may be added)', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'capabilities without drop ALL',
      yaml: compliant.replace('drop: ["ALL"]', '⟦1⟧drop: ["NET_RAW"]'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.capabilities.drop', messageId: 'violation', data: { check: 'capabilities_restricted', level: 'restricted', minor: 33, problem: 'container "app" must set securityContext.capabilities.drop=["ALL"]', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'allowPrivilegeEscalation: true',
      yaml: withMarkers(compliant.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'), '⟦1⟧allowPrivilegeEscalation: true'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', messageId: 'violation', data: { check: 'allowPrivilegeEscalation', level: 'restricted', minor: 33, problem: 'container "app" must set securityContext.allowPrivilegeEscalation=false', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'an init container without a securityContext (CronJob)',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          initContainers:
          - ⟦1⟧name: wait
            image: busybox:1.36
          containers:
          - name: report
            image: report:3.2
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop: ["ALL"]
`,
      findings: [
        { at: '1', object: 'CronJob shop/report', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation', messageId: 'violation', data: { check: 'allowPrivilegeEscalation', level: 'restricted', minor: 33, problem: 'init container "wait" must set securityContext.allowPrivilegeEscalation=false', levelNote: 'the cluster minimum is restricted' } },
        { at: '1', object: 'CronJob shop/report', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.capabilities.drop', messageId: 'violation', data: { check: 'capabilities_restricted', level: 'restricted', minor: 33, problem: 'init container "wait" must set securityContext.capabilities.drop=["ALL"]', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'restricted volume type (nfs)',
      yaml: `${compliant}      volumes:\n      - name: shared\n        ⟦1⟧nfs:\n          server: nfs.local\n          path: /exports\n`,
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.volumes[0].nfs', messageId: 'violation', data: { check: 'restrictedVolumes', level: 'restricted', minor: 33, problem: 'volume "shared" uses the restricted volume type nfs; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'procMount Unmasked in a user namespace is still forbidden by restricted from v1.35',
      cluster: { kubernetesVersion: '1.35' },
      yaml: withMarkers(userNamespacePod, '⟦1⟧procMount: Unmasked'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.procMount', messageId: 'violation', data: { check: 'procMount_restricted', level: 'restricted', minor: 35, problem: 'container "app" must not set securityContext.procMount to "Unmasked"', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'before v1.35 hostUsers: false relaxes nothing',
      cluster: { kubernetesVersion: '1.34' },
      yaml: withMarkers(userNamespacePod, '⟦1⟧procMount: Unmasked', '        ⟦2⟧securityContext:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.procMount', messageId: 'violation', data: { check: 'procMount', level: 'restricted', minor: 34, problem: 'container "app" must not set securityContext.procMount to "Unmasked"', levelNote: 'the cluster minimum is restricted' } },
        { at: '2', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot', messageId: 'violation', data: { check: 'runAsNonRoot', level: 'restricted', minor: 34, problem: 'container "app" must set securityContext.runAsNonRoot=true (or the pod securityContext must)', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'Windows pods get no exemption before policy v1.25',
      yaml: withMarkers(windowsPod('v1.24'), '  - ⟦1⟧name: iis'),
      findings: [
        { at: '1', object: 'Pod win/iis', path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', messageId: 'violation', data: { check: 'allowPrivilegeEscalation', level: 'restricted', minor: 24, problem: 'container "iis" must set securityContext.allowPrivilegeEscalation=false', levelNote: 'namespace win enforces restricted' } },
        { at: '1', object: 'Pod win/iis', path: 'spec.containers[0].securityContext.seccompProfile', messageId: 'violation', data: { check: 'seccompProfile_restricted', level: 'restricted', minor: 24, problem: 'container "iis" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost" (or the pod securityContext must)', levelNote: 'namespace win enforces restricted' } },
        { at: '1', object: 'Pod win/iis', path: 'spec.containers[0].securityContext.capabilities.drop', messageId: 'violation', data: { check: 'capabilities_restricted', level: 'restricted', minor: 24, problem: 'container "iis" must set securityContext.capabilities.drop=["ALL"]', levelNote: 'namespace win enforces restricted' } },
      ],
    },
    {
      name: 'host namespaces, host port, privileged and hostPath under baseline',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: `${podSecurityNamespace('node-agents', 'baseline')}apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: exporter
  namespace: node-agents
spec:
  template:
    spec:
      ⟦1⟧hostNetwork: true
      ⟦2⟧hostPID: true
      containers:
      - name: exporter
        image: node-exporter:1.8
        ports:
        - containerPort: 9100
          ⟦5⟧hostPort: 9100
        securityContext:
          ⟦3⟧privileged: true
        volumeMounts:
        - name: root
          mountPath: /host
      volumes:
      - name: root
        ⟦4⟧hostPath:
          path: /
`,
      findings: [
        { at: '1', object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.hostNetwork', messageId: 'violation', data: { check: 'hostNamespaces', level: 'baseline', minor: 33, problem: 'the pod must not set hostNetwork=true (it shares the node\'s Network namespace)', levelNote: 'namespace node-agents enforces baseline' } },
        { at: '2', object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.hostPID', messageId: 'violation', data: { check: 'hostNamespaces', level: 'baseline', minor: 33, problem: 'the pod must not set hostPID=true (it shares the node\'s PID namespace)', levelNote: 'namespace node-agents enforces baseline' } },
        { at: '3', object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.containers[0].securityContext.privileged', messageId: 'violation', data: { check: 'privileged', level: 'baseline', minor: 33, problem: 'container "exporter" must not set securityContext.privileged=true', levelNote: 'namespace node-agents enforces baseline' } },
        { at: '4', object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.volumes[0].hostPath', messageId: 'violation', data: { check: 'hostPathVolumes', level: 'baseline', minor: 33, problem: 'volume "root" must not use hostPath', levelNote: 'namespace node-agents enforces baseline' } },
        { at: '5', object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.containers[0].ports[0].hostPort', messageId: 'violation', data: { check: 'hostPorts', level: 'baseline', minor: 33, problem: 'container "exporter" must not set hostPort (9100); expose it through a Service instead', levelNote: 'namespace node-agents enforces baseline' } },
      ],
    },
    {
      name: 'unsafe sysctl, unconfined AppArmor (annotation and field) and spc_t SELinux under baseline',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: tuner
  namespace: lab
  annotations:
    ⟦2⟧container.apparmor.security.beta.kubernetes.io/tuner: unconfined
spec:
  securityContext:
    sysctls:
    - ⟦4⟧name: net.core.somaxconn
      value: "1024"
    - name: net.ipv4.tcp_syncookies
      value: "1"
    seLinuxOptions:
      ⟦3⟧type: spc_t
  containers:
  - name: tuner
    image: busybox:1.36
    securityContext:
      appArmorProfile:
        ⟦1⟧type: Unconfined
`,
      findings: [
        { at: '1', object: 'Pod lab/tuner', path: 'spec.containers[0].securityContext.appArmorProfile.type', messageId: 'violation', data: { check: 'appArmorProfile', level: 'baseline', minor: 33, problem: 'container "tuner" must not set securityContext.appArmorProfile.type to "Unconfined"', levelNote: 'the cluster minimum is baseline' } },
        { at: '2', object: 'Pod lab/tuner', path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/tuner"]', messageId: 'violation', data: { check: 'appArmorProfile', level: 'baseline', minor: 33, problem: 'annotation container.apparmor.security.beta.kubernetes.io/tuner="unconfined" sets a forbidden AppArmor profile', levelNote: 'the cluster minimum is baseline' } },
        { at: '3', object: 'Pod lab/tuner', path: 'spec.securityContext.seLinuxOptions.type', messageId: 'violation', data: { check: 'seLinuxOptions', level: 'baseline', minor: 33, problem: 'the pod sets a forbidden securityContext.seLinuxOptions type "spc_t"', levelNote: 'the cluster minimum is baseline' } },
        { at: '4', object: 'Pod lab/tuner', path: 'spec.securityContext.sysctls[0].name', messageId: 'violation', data: { check: 'sysctls', level: 'baseline', minor: 33, problem: 'the pod must not set the unsafe sysctl "net.core.somaxconn"', levelNote: 'the cluster minimum is baseline' } },
      ],
    },
    {
      name: 'probe host is forbidden from policy v1.34',
      cluster: { podSecurityMinimum: 'baseline', kubernetesVersion: '1.34' },
      yaml: withMarkers(hostProbe, '⟦1⟧host: 10.0.0.1'),
      findings: [
        { at: '1', object: 'Pod default/probe', path: 'spec.containers[0].livenessProbe.httpGet.host', messageId: 'violation', data: { check: 'hostProbesAndHostLifecycle', level: 'baseline', minor: 34, problem: 'container "app" must not point probes or lifecycle handlers at a host ("10.0.0.1"); remove the host field', levelNote: 'the cluster minimum is baseline' } },
      ],
    },
    {
      name: 'seccomp annotation under policy v1.18',
      yaml: containerRoot('v1.18')
        .replace('  namespace: shop\nspec:', '  namespace: shop\n  annotations:\n    ⟦1⟧seccomp.security.alpha.kubernetes.io/pod: unconfined\nspec:')
        .replace('runAsUser: 0', 'runAsUser: 1000'),
      findings: [
        { at: '1', object: 'Pod shop/legacy', path: 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]', messageId: 'violation', data: { check: 'seccompProfile_baseline', level: 'restricted', minor: 18, problem: 'annotation seccomp.security.alpha.kubernetes.io/pod="unconfined" sets a forbidden seccomp profile', levelNote: 'namespace shop enforces restricted' } },
      ],
    },
    {
      name: 'a namespace labelled baseline is still held to the restricted minimum',
      yaml: withMarkers(`${podSecurityNamespace('shop', 'baseline')}${compliant.replace('          allowPrivilegeEscalation: false\n', '')}`, '        ⟦1⟧securityContext:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', messageId: 'violation', data: { check: 'allowPrivilegeEscalation', level: 'restricted', minor: 33, problem: 'container "app" must set securityContext.allowPrivilegeEscalation=false', levelNote: 'the cluster minimum is restricted' } },
      ],
    },
    {
      name: 'an unparseable enforce label is treated as restricted, as admission does',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: withMarkers(`${podSecurityNamespace('shop', 'strict')}${compliant.replace('          allowPrivilegeEscalation: false\n', '')}`, '        ⟦1⟧securityContext:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', messageId: 'violation', data: { check: 'allowPrivilegeEscalation', level: 'restricted', minor: 33, problem: 'container "app" must set securityContext.allowPrivilegeEscalation=false', levelNote: 'namespace shop has an unparseable enforce label, which admission treats as restricted' } },
      ],
    },
    ...casesFoundByMutation1().invalid, ...casesFoundByMutation2().invalid,
  ],
});

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-security.test.ts.
function casesFoundByMutation1(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
// The cluster minimum is baseline, so the namespace label decides.
const baseline = { podSecurityMinimum: 'baseline' as const };
// Namespace shop at baseline (7 lines), then Pod shop/p from line 8 (spec: on line 11); `spec` is the lines under spec:, indented two spaces.
const baselinePod = (spec: string, version?: string) => `${podSecurityNamespace('shop', 'baseline', version)}apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
${spec}`;
return {
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
    - { name: app, image: app:1, securityContext: { ⟦1⟧procMount: Masked2 } }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].securityContext.procMount', messageId: 'violation', data: { check: 'procMount', level: 'baseline', minor: 33, problem: 'container "app" must not set securityContext.procMount to "Masked2"', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
    {
      name: 'net.ipv4.tcp_keepalive_time is unsafe under policy 1.28',
      cluster: { kubernetesVersion: '1.28.0', podSecurityMinimum: 'baseline' },
      yaml: baselinePod(`  securityContext:
    sysctls: [{ ⟦1⟧name: net.ipv4.tcp_keepalive_time, value: "600" }]
  containers:
    - { name: app, image: app:1 }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.securityContext.sysctls[0].name', messageId: 'violation', data: { check: 'sysctls', level: 'baseline', minor: 28, problem: 'the pod must not set the unsafe sysctl "net.ipv4.tcp_keepalive_time"', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
    {
      name: 'NET_RAW is not among the capabilities baseline lets a container add',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, securityContext: { capabilities: { ⟦1⟧add: [NET_RAW] } } }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].securityContext.capabilities.add', messageId: 'violation', data: { check: 'capabilities_baseline', level: 'baseline', minor: 33, problem: 'container "app" must not add "NET_RAW" to securityContext.capabilities.add', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
    {
      name: 'hostIPC is refused like hostNetwork and hostPID',
      cluster: baseline,
      yaml: baselinePod(`  ⟦1⟧hostIPC: true
  containers:
    - { name: app, image: app:1 }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.hostIPC', messageId: 'violation', data: { check: 'hostNamespaces', level: 'baseline', minor: 33, problem: 'the pod must not set hostIPC=true (it shares the node\'s IPC namespace)', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
    {
      name: 'a privileged init container is refused',
      cluster: baseline,
      yaml: baselinePod(`  initContainers:
    - { name: setup, image: s:1, securityContext: { ⟦1⟧privileged: true } }
  containers:
    - { name: app, image: app:1 }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.initContainers[0].securityContext.privileged', messageId: 'violation', data: { check: 'privileged', level: 'baseline', minor: 33, problem: 'init container "setup" must not set securityContext.privileged=true', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
    {
      name: 'a non-zero hostPort is refused',
      cluster: baseline,
      yaml: baselinePod(`  containers:
    - { name: app, image: app:1, ports: [{ containerPort: 80, ⟦1⟧hostPort: 8080 }] }
`),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].ports[0].hostPort', messageId: 'violation', data: { check: 'hostPorts', level: 'baseline', minor: 33, problem: 'container "app" must not set hostPort (8080); expose it through a Service instead', levelNote: 'namespace shop enforces baseline' } },
      ],
    },
  ],
};
}

// Cases that pin details the cases above left open (found by mutation testing: each fails when one specific
// detail is wrong). Folded in from rules-mutations-security.test.ts.
function casesFoundByMutation2(): { valid: RuleTestCase[]; invalid: InvalidRuleTestCase[] } {
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
return {
  valid: [{ name: 'restricted lets a container add NET_BIND_SERVICE after dropping ALL', yaml: restrictedPod('{ drop: [ALL], add: [NET_BIND_SERVICE] }') }],
  invalid: [
    {
      name: 'restricted refuses adding CHOWN, although baseline allows it',
      yaml: withMarkers(restrictedPod('{ drop: [ALL], add: [CHOWN] }'), '⟦1⟧add: [CHOWN] } }'),
      findings: [
        { at: '1', object: 'Pod shop/p', path: 'spec.containers[0].securityContext.capabilities.add', messageId: 'violation', data: { check: 'capabilities_restricted', level: 'restricted', minor: 33, problem: 'container "app" must not add "CHOWN" (only "NET_BIND_SERVICE" may be added)', levelNote: 'namespace shop enforces restricted' } },
      ],
    },
  ],
};
}
