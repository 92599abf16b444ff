import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-read-only-root-fs.ts';
import { webDeployment } from './helpers/manifests.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'every container, init containers included, has a read-only root filesystem',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
        securityContext:
          readOnlyRootFilesystem: true
      containers:
      - name: postgres
        image: postgres:16.4
        securityContext:
          readOnlyRootFilesystem: true
`,
    },
  ],
  invalid: [
    {
      name: 'missing on one container, false on another, missing securityContext on an init container',
      yaml: webDeployment(`      initContainers:
      - name: migrate
        image: flyway:10
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          runAsNonRoot: true
      - name: sidecar
        image: envoy:1.31
        securityContext:
          readOnlyRootFilesystem: false
`),
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem', line: 10, message: 'init container "migrate" of Deployment shop/web does not set' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', line: 15, message: 'container "app"' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem', line: 20, message: 'container "sidecar" of Deployment shop/web sets securityContext.readOnlyRootFilesystem to false; it must be true' },
      ],
    },
    {
      name: 'a bare Pod',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - name: shell
    image: busybox:1.36
`,
      findings: [{ object: 'Pod default/debug', path: 'spec.containers[0].securityContext.readOnlyRootFilesystem', line: 7 }],
    },
  ],
});
