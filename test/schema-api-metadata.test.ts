import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/schema-api-metadata.ts';

const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const REFUSED = 'is refused by the API server: Invalid value:';

ruleTester(rule, {
  valid: [
    {
      name: 'names, labels and annotations the API server accepts',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: web-api
  namespace: shop
  labels: { app.kubernetes.io/name: web, app.kubernetes.io/version: "1.4.2", empty: "" }
  annotations: { example.com/Owner: team-a, "Description": free text is fine here }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: "system:web:reader", namespace: shop }
rules: []
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web.v2, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx:1.27 }]
`,
    },
  ],
  invalid: [
    {
      name: 'a Service name that is a subdomain, a ConfigMap name with capitals, a StatefulSet name with a dot',
      yaml: `apiVersion: v1
kind: Service
metadata:
  ⟦1⟧name: web.api
  namespace: shop
spec:
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: ConfigMap
metadata:
  ⟦2⟧name: Settings
  namespace: shop
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  ⟦3⟧name: db.primary
  namespace: shop
spec:
  serviceName: db
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers: [{ name: db, image: postgres:16 }]
`,
      findings: [
        { at: '1', object: 'Service shop/web.api', path: 'metadata.name', message: `metadata.name ${REFUSED} "web.api": ${DNS1035}` },
        { at: '2', object: 'ConfigMap shop/Settings', path: 'metadata.name', message: `metadata.name ${REFUSED} "Settings": ${SUBDOMAIN}` },
        { at: '3', object: 'StatefulSet shop/db.primary', path: 'metadata.name', message: `metadata.name ${REFUSED} "db.primary": must not contain dots` },
      ],
    },
    {
      name: 'a namespace name with an underscore, a Role name with a slash, a CronJob name over 52 characters',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  ⟦1⟧name: web/reader
  ⟦2⟧namespace: shop_prod
rules: []
---
apiVersion: batch/v1
kind: CronJob
metadata:
  ⟦3⟧name: nightly-report-of-every-order-placed-in-the-last-day-x
  namespace: shop
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: report, image: busybox:1.36 }]
`,
      findings: [
        { at: '1', object: 'Role shop_prod/web/reader', path: 'metadata.name', message: `metadata.name ${REFUSED} "web/reader": may not contain '/'` },
        { at: '2', object: 'Role shop_prod/web/reader', path: 'metadata.namespace', message: `metadata.namespace ${REFUSED} "shop_prod": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` },
        { at: '3', object: 'CronJob shop/nightly-report-of-every-order-placed-in-the-last-day-x', path: 'metadata.name', message: `metadata.name ${REFUSED} "nightly-report-of-every-order-placed-in-the-last-day-x": must be no more than 52 characters` },
      ],
    },
    {
      name: 'an invalid label value, label key and annotation key, on the object, its pod template and its selector',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    ⟦1⟧app.kubernetes.io/version: v1.4.2+build
    ⟦2⟧-team: shop
  annotations:
    ⟦3⟧example.com/owner team: a
spec:
  selector:
    matchLabels:
      ⟦4⟧app: web/front
  template:
    metadata:
      labels:
        ⟦5⟧app: web/front
    spec:
      containers: [{ name: web, image: nginx:1.27 }]
`,
      findings: [
        { at: '1', object: 'Deployment shop/web', path: 'metadata.labels["app.kubernetes.io/version"]', message: `label value metadata.labels["app.kubernetes.io/version"] ${REFUSED} "v1.4.2+build": ${LABEL_VALUE}` },
        { at: '2', object: 'Deployment shop/web', path: 'metadata.labels["-team"]', message: `label key metadata.labels["-team"] ${REFUSED} "-team": ${NAME_PART}` },
        { at: '3', object: 'Deployment shop/web', path: 'metadata.annotations["example.com/owner team"]', message: `annotation key metadata.annotations["example.com/owner team"] ${REFUSED} "example.com/owner team": ${NAME_PART}` },
        { at: '4', object: 'Deployment shop/web', path: 'spec.selector.matchLabels.app', message: `label value spec.selector.matchLabels.app ${REFUSED} "web/front": ${LABEL_VALUE}` },
        { at: '5', object: 'Deployment shop/web', path: 'spec.template.metadata.labels.app', message: `label value spec.template.metadata.labels.app ${REFUSED} "web/front": ${LABEL_VALUE}` },
      ],
    },
    {
      name: 'a label value of 64 characters, and annotations over 256 KiB',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: big
  namespace: shop
  labels:
    ⟦1⟧checksum: ${'a'.repeat(64)}
  ⟦2⟧annotations:
    example.com/blob: ${'x'.repeat(262144)}
`,
      findings: [
        { at: '1', object: 'ConfigMap shop/big', path: 'metadata.labels.checksum', message: `label value metadata.labels.checksum ${REFUSED} "${'a'.repeat(64)}": must be no more than 63 characters` },
        { at: '2', object: 'ConfigMap shop/big', path: 'metadata.annotations', message: 'metadata.annotations is refused by the API server: Too long: may not be more than 262144 bytes (keys and values take 262160)' },
      ],
    },
  ],
});
