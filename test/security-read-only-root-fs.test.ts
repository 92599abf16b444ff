import { withMarkers, ruleTester } from '../tools/lib/core/rule-tester.ts';
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
      yaml: withMarkers(webDeployment(`      initContainers:
      - ⟦1⟧name: migrate
        image: flyway:10
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          runAsNonRoot: true
      - name: sidecar
        image: envoy:1.31
        securityContext:
          ⟦2⟧readOnlyRootFilesystem: false
`), '        image: nginx:1.27\n        ⟦3⟧securityContext:'),
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem', messageId: 'notSet', data: { container: 'init container "migrate" of Deployment shop/web' } },
        { at: '3', object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', messageId: 'notSet', data: { container: 'container "app" of Deployment shop/web' } },
        { at: '2', object: 'Deployment shop/web', path: 'spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem', messageId: 'notTrue', data: { container: 'container "sidecar" of Deployment shop/web', value: 'false' } },
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
  - ⟦1⟧name: shell
    image: busybox:1.36
`,
      findings: [
        { at: '1', object: 'Pod default/debug', path: 'spec.containers[0].securityContext.readOnlyRootFilesystem', messageId: 'notSet', data: { container: 'container "shell" of Pod default/debug' } },
      ],
    },
  ],
});
