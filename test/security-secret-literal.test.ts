import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/security-secret-literal.ts';

ruleTester(rule, {
  valid: [
    {
      name: 'credentials from Secrets, references to other variables, names that only mention a credential, paths to secret files',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: auth-service
  namespace: a4co
spec:
  template:
    spec:
      containers:
      - name: auth-service
        image: auth:1.0
        env:
        - name: JWT_SECRET
          valueFrom:
            secretKeyRef: {name: auth-secrets, key: jwt-secret}
        - name: DB_PASSWORD
          value: $(POSTGRES_PASSWORD)
        - name: TOKEN_TTL_SECONDS
          value: "3600"
        - name: POSTGRES_PASSWORD_FILE
          value: /run/secrets/db/password
        - name: REDIS_PASSWORD
          value: ""
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: auth-config
  namespace: a4co
data:
  JWT_SECRET_NAME: auth-secrets
  OAUTH_TOKEN_URL: https://id.example.com/token
`,
    },
    {
      name: 'a name allowed by the option',
      options: { allowNames: ['CSRF_TOKEN'] },
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: web
    image: web:1.0
    env:
    - name: CSRF_TOKEN
      value: header
`,
    },
  ],
  invalid: [
    {
      name: 'password, token and API key literals in env; a private key in an init container; a password in a ConfigMap',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payment-service
  namespace: a4co
spec:
  template:
    spec:
      initContainers:
      - name: certs
        image: busybox:1.36
        env:
        - name: TLS_KEY
          value: |
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEA
            -----END RSA PRIVATE KEY-----
      containers:
      - name: payment-service
        image: payment:1.0
        env:
        - name: DB_PASSWORD
          value: hunter2
        - name: stripe_api_key
          value: sk_live_123
        - name: GITHUB_TOKEN
          value: ghp_abc
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: payment-config
  namespace: a4co
data:
  REDIS_PASSWORD: s3cret
`,
      findings: [
        { object: 'Deployment a4co/payment-service', path: 'spec.template.spec.initContainers[0].env[0].value', line: 14, message: 'env TLS_KEY of container "certs" in Deployment a4co/payment-service holds a PEM private key; take it from a Secret with valueFrom.secretKeyRef' },
        { object: 'Deployment a4co/payment-service', path: 'spec.template.spec.containers[0].env[0].value', line: 23, message: 'env DB_PASSWORD of container "payment-service" in Deployment a4co/payment-service is named like a credential and has a literal value; take it from a Secret with valueFrom.secretKeyRef' },
        { object: 'Deployment a4co/payment-service', path: 'spec.template.spec.containers[0].env[1].value', line: 25, message: 'env stripe_api_key of container "payment-service" in Deployment a4co/payment-service is named like a credential and has a literal value; take it from a Secret with valueFrom.secretKeyRef' },
        { object: 'Deployment a4co/payment-service', path: 'spec.template.spec.containers[0].env[2].value', line: 27, message: 'env GITHUB_TOKEN of container "payment-service" in Deployment a4co/payment-service is named like a credential and has a literal value; take it from a Secret with valueFrom.secretKeyRef' },
        { object: 'ConfigMap a4co/payment-config', path: 'data.REDIS_PASSWORD', line: 35, message: 'key REDIS_PASSWORD of ConfigMap a4co/payment-config is named like a credential and has a literal value; a ConfigMap is not secret, keep it in a Secret' },
      ],
    },
  ],
});
