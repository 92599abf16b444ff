import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-runtime-socket.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'other host paths and non-host volumes',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: ops
spec:
  template:
    spec:
      containers:
      - name: shipper
        image: fluent-bit:3.1
      volumes:
      - name: logs
        hostPath: {path: /var/log/pods}
      - name: docker-data
        hostPath: {path: /var/lib/docker/containers}
      - name: tmp
        emptyDir: {}
`,
    },
  ],
  invalid: [
    {
      name: 'docker, containerd (k3s), crio sockets (a path written with extra slashes is the same socket), and /var/run which holds them',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ci-runner
  namespace: ci
spec:
  template:
    spec:
      containers:
      - name: runner
        image: runner:2.3
      volumes:
      - name: docker
        hostPath:
          path: /var/run/docker.sock
          type: Socket
      - name: containerd
        hostPath: {path: /run/k3s/containerd/containerd.sock}
      - name: crio
        hostPath: {path: //var/run/crio/crio.sock/}
      - name: run
        hostPath: {path: /var/run}
`,
      findings: [
        { object: 'Deployment ci/ci-runner', path: 'spec.template.spec.volumes[0].hostPath.path', line: 15, message: 'volume "docker" of Deployment ci/ci-runner mounts the container runtime socket /var/run/docker.sock from the host; whoever can write to it controls every container on the node' },
        { object: 'Deployment ci/ci-runner', path: 'spec.template.spec.volumes[1].hostPath.path', line: 18, message: 'volume "containerd" of Deployment ci/ci-runner mounts the container runtime socket /run/k3s/containerd/containerd.sock from the host; whoever can write to it controls every container on the node' },
        { object: 'Deployment ci/ci-runner', path: 'spec.template.spec.volumes[2].hostPath.path', line: 20, message: 'volume "crio" of Deployment ci/ci-runner mounts the container runtime socket /var/run/crio/crio.sock from the host; whoever can write to it controls every container on the node' },
        { object: 'Deployment ci/ci-runner', path: 'spec.template.spec.volumes[3].hostPath.path', line: 22, message: 'volume "run" of Deployment ci/ci-runner mounts the container runtime socket /var/run/docker.sock from the host (through /var/run); whoever can write to it controls every container on the node' },
      ],
    },
  ],
});
