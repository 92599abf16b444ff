import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/workloads-duplicate-env.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'the same name in two containers, and names that differ only in case',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: app
        image: app:1.0
        env:
        - {name: LOG_LEVEL, value: info}
        - {name: log_level, value: info}
      - name: proxy
        image: envoy:1.31
        env:
        - {name: LOG_LEVEL, value: warn}
`,
    },
  ],
  invalid: [
    {
      name: 'a variable appended twice (as a JSON6902 add would) in a container and in an init container',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: flyway:10
        env:
        - {name: DB_HOST, value: db}
        - {name: DB_HOST, value: db-primary}
      containers:
      - name: app
        image: app:1.0
        env:
        - name: LOG_LEVEL
          value: info
        - name: FEATURE_X
          value: "on"
        - name: LOG_LEVEL
          value: debug
        - name: LOG_LEVEL
          valueFrom:
            configMapKeyRef: {name: app-config, key: LOG_LEVEL}
`,
      findings: [
        { object: 'Deployment shop/web', path: 'spec.template.spec.initContainers[0].env[1].name', line: 14, message: 'env DB_HOST of container "migrate" in Deployment shop/web is defined again (first at env[0]); the last definition silently wins' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[2].name', line: 23, message: 'env LOG_LEVEL of container "app" in Deployment shop/web is defined again (first at env[0]); the last definition silently wins' },
        { object: 'Deployment shop/web', path: 'spec.template.spec.containers[0].env[3].name', line: 25, message: 'env LOG_LEVEL of container "app" in Deployment shop/web is defined again (first at env[0]); the last definition silently wins' },
      ],
    },
  ],
});
