import { ruleTester } from '../tools/lib/core/rule-tester.ts';
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
  ],
  invalid: [
    {
      name: 'pod says runAsNonRoot: true, one container says false',
      yaml: `${compliant}      - name: sidecar
        image: envoy:1.31
        securityContext:
          runAsNonRoot: false
          allowPrivilegeEscalation: false
          capabilities:
            drop: ["ALL"]
`,
      findings: [
        {
          object: 'Deployment shop/web',
          path: 'spec.template.spec.containers[1].securityContext.runAsNonRoot',
          line: 23,
          message: /^runAsNonRoot \(Pod Security restricted, v1\.33\): container "sidecar" must not set securityContext\.runAsNonRoot=false/,
        },
      ],
    },
    {
      name: 'runAsUser: 0 at the pod is forbidden even when every container overrides it',
      yaml: rootAtPodOnly,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.securityContext.runAsUser', line: 11, message: 'runAsUser (Pod Security restricted' },
      ],
    },
    {
      name: 'runAsUser: 0 in a container from policy v1.23',
      yaml: containerRoot('v1.23'),
      findings: [{ object: 'Pod shop/legacy', path: 'spec.containers[0].securityContext.runAsUser', line: 23, message: 'container "app" must not set securityContext.runAsUser=0' }],
    },
    {
      name: 'seccomp Localhost without localhostProfile passes the standard but not API validation',
      yaml: compliant.replace('type: RuntimeDefault', 'type: Localhost'),
      findings: [
        {
          object: 'Deployment shop/web',
          path: 'spec.template.spec.securityContext.seccompProfile.localhostProfile',
          line: 11,
          message: /^seccompProfile\.localhostProfile: .*without localhostProfile/,
        },
      ],
    },
    {
      name: 'seccomp Unconfined on a container',
      yaml: compliant.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n          seccompProfile:\n            type: Unconfined'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.seccompProfile.type', line: 19, message: 'seccompProfile_restricted' },
      ],
    },
    {
      name: 'no seccomp profile at pod or container',
      yaml: compliant.replace('        seccompProfile:\n          type: RuntimeDefault\n', ''),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.seccompProfile', line: 14, message: 'container "app" must set securityContext.seccompProfile.type' },
      ],
    },
    {
      name: 'adding SYS_ADMIN under restricted',
      yaml: compliant.replace('drop: ["ALL"]', 'drop: ["ALL"]\n            add: ["SYS_ADMIN"]'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.capabilities.add', line: 20, message: 'capabilities_restricted' },
      ],
    },
    {
      name: 'capabilities without drop ALL',
      yaml: compliant.replace('drop: ["ALL"]', 'drop: ["NET_RAW"]'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.capabilities.drop', line: 19, message: 'must set securityContext.capabilities.drop=["ALL"]' },
      ],
    },
    {
      name: 'allowPrivilegeEscalation: true',
      yaml: compliant.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', line: 17, message: 'allowPrivilegeEscalation' },
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
          - name: wait
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
        { object: 'CronJob shop/report', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation', line: 17, message: 'init container "wait"' },
        { object: 'CronJob shop/report', path: 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.capabilities.drop', line: 17, message: 'init container "wait"' },
      ],
    },
    {
      name: 'restricted volume type (nfs)',
      yaml: `${compliant}      volumes:\n      - name: shared\n        nfs:\n          server: nfs.local\n          path: /exports\n`,
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.volumes[0].nfs', line: 22, message: 'restrictedVolumes' }],
    },
    {
      name: 'procMount Unmasked in a user namespace is still forbidden by restricted from v1.35',
      cluster: { kubernetesVersion: '1.35' },
      yaml: userNamespacePod,
      findings: [{ object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.procMount', line: 17, message: /^procMount_restricted/ }],
    },
    {
      name: 'before v1.35 hostUsers: false relaxes nothing',
      cluster: { kubernetesVersion: '1.34' },
      yaml: userNamespacePod,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot', line: 16, message: /^runAsNonRoot/ },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.procMount', line: 17, message: /^procMount \(/ },
      ],
    },
    {
      name: 'Windows pods get no exemption before policy v1.25',
      yaml: windowsPod('v1.24'),
      findings: [
        { object: 'Pod win/iis', path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', line: 20, message: /^allowPrivilegeEscalation/ },
        { object: 'Pod win/iis', path: 'spec.containers[0].securityContext.seccompProfile', line: 20, message: /^seccompProfile_restricted/ },
        { object: 'Pod win/iis', path: 'spec.containers[0].securityContext.capabilities.drop', line: 20, message: /^capabilities_restricted/ },
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
      hostNetwork: true
      hostPID: true
      containers:
      - name: exporter
        image: node-exporter:1.8
        ports:
        - containerPort: 9100
          hostPort: 9100
        securityContext:
          privileged: true
        volumeMounts:
        - name: root
          mountPath: /host
      volumes:
      - name: root
        hostPath:
          path: /
`,
      findings: [
        { object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.hostNetwork', line: 16, message: /^hostNamespaces \(Pod Security baseline, v1\.33\): .*namespace node-agents enforces baseline/ },
        { object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.hostPID', line: 17, message: /^hostNamespaces/ },
        { object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.containers[0].ports[0].hostPort', line: 23, message: /^hostPorts/ },
        { object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.containers[0].securityContext.privileged', line: 25, message: /^privileged/ },
        { object: 'DaemonSet node-agents/exporter', path: 'spec.template.spec.volumes[0].hostPath', line: 31, message: /^hostPathVolumes/ },
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
    container.apparmor.security.beta.kubernetes.io/tuner: unconfined
spec:
  securityContext:
    sysctls:
    - name: net.core.somaxconn
      value: "1024"
    - name: net.ipv4.tcp_syncookies
      value: "1"
    seLinuxOptions:
      type: spc_t
  containers:
  - name: tuner
    image: busybox:1.36
    securityContext:
      appArmorProfile:
        type: Unconfined
`,
      findings: [
        { object: 'Pod lab/tuner', path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/tuner"]', line: 7, message: /^appArmorProfile.*the cluster minimum is baseline/ },
        { object: 'Pod lab/tuner', path: 'spec.securityContext.sysctls[0].name', line: 11, message: /^sysctls.*"net\.core\.somaxconn"/ },
        { object: 'Pod lab/tuner', path: 'spec.securityContext.seLinuxOptions.type', line: 16, message: /^seLinuxOptions.*"spc_t"/ },
        { object: 'Pod lab/tuner', path: 'spec.containers[0].securityContext.appArmorProfile.type', line: 22, message: /^appArmorProfile/ },
      ],
    },
    {
      name: 'probe host is forbidden from policy v1.34',
      cluster: { podSecurityMinimum: 'baseline', kubernetesVersion: '1.34' },
      yaml: hostProbe,
      findings: [{ object: 'Pod default/probe', path: 'spec.containers[0].livenessProbe.httpGet.host', line: 11, message: /^hostProbesAndHostLifecycle.*"10\.0\.0\.1"/ }],
    },
    {
      name: 'seccomp annotation under policy v1.18',
      yaml: containerRoot('v1.18')
        .replace('  namespace: shop\nspec:', '  namespace: shop\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\nspec:')
        .replace('runAsUser: 0', 'runAsUser: 1000'),
      findings: [{ object: 'Pod shop/legacy', path: 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]', line: 15, message: /^seccompProfile_baseline/ }],
    },
    {
      name: 'a namespace labelled baseline is still held to the restricted minimum',
      yaml: `${podSecurityNamespace('shop', 'baseline')}${compliant.replace('          allowPrivilegeEscalation: false\n', '')}`,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', line: 23, message: /the cluster minimum is restricted/ },
      ],
    },
    {
      name: 'an unparseable enforce label is treated as restricted, as admission does',
      cluster: { podSecurityMinimum: 'baseline' },
      yaml: `${podSecurityNamespace('shop', 'strict')}${compliant.replace('          allowPrivilegeEscalation: false\n', '')}`,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation', line: 23, message: /unparseable enforce label/ },
      ],
    },
  ],
});
