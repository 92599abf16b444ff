// npm run bench, section "schema validation": a synthetic fleet of a few thousand objects, validated by schema/strict's
// validator and by kubeconform -strict given the same schemas (written into a temporary folder in its layout).
// kubeconform's figure is its whole process (read, parse, compile, validate); ours is split into YAML parsing, which the
// check's render stage does anyway, and validation cold and warm, by the schema walker the check uses and by ajv (compiling
// each schema on first use). Objects per second, one run each.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { OutsideSubset, readRenderedDocument, splitDocuments } from '../tools/lib/render/rendered-yaml.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { validateClusterObjects } from '../tools/lib/schema/object-validation.ts';
import { SchemaValidator, type ObjectSchemaValidator } from '../tools/lib/schema/validator.ts';
import { AjvSchemaValidator } from '../tools/lib/schema/ajv-validator.ts';
import { availableReleases, loadBuiltinSchemas, type JsonSchema } from '../tools/lib/schema/kubernetes-schemas.ts';
import { run } from '../tools/lib/render/process.ts';

export const FLEET_SIZE = Number(process.env.BENCH_FLEET ?? 3000);

function app(i: number): string {
  const name = `svc-${i}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels: { app: ${name}, tier: backend }
spec:
  replicas: 2
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name}, tier: backend }
    spec:
      serviceAccountName: ${name}
      securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: app
          image: registry.example.com/${name}:1.${i % 9}.0
          imagePullPolicy: IfNotPresent
          ports:
            - { name: http, containerPort: 8080 }
          env:
            - name: PORT
              valueFrom: { configMapKeyRef: { name: service-ports, key: SVC_${i}_PORT } }
            - { name: LOG_LEVEL, value: info }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          readinessProbe: { httpGet: { path: /ready, port: http }, periodSeconds: 5 }
          livenessProbe: { httpGet: { path: /healthz, port: http }, initialDelaySeconds: 10 }
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: team-${i % 20} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}-config, namespace: team-${i % 20} }
data: { LOG_FORMAT: json, FEATURE_X: "on" }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: team-${i % 20} }
spec:
  podSelector: { matchLabels: { app: ${name} } }
  policyTypes: [Ingress]
  ingress: [{ ports: [{ port: 8080, protocol: TCP }] }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: ${name}, namespace: team-${i % 20} }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: 2
  maxReplicas: 6
  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }]
`;
}

/** One file per 50 objects (10 apps), like a repository of rendered manifests. */
function writeFleet(dir: string): number {
  const apps = Math.ceil(FLEET_SIZE / 5);
  for (let file = 0; file * 10 < apps; file++) {
    const docs = [];
    for (let i = file * 10; i < Math.min(apps, file * 10 + 10); i++) docs.push(app(i));
    fs.writeFileSync(path.join(dir, `fleet-${String(file).padStart(4, '0')}.yaml`), docs.join('---\n'));
  }
  return apps * 5;
}

/** The same definitions, one self-contained file per kind, named the way kubeconform's -schema-location template finds it. */
function writeKubeconformSchemas(dir: string, kinds: Set<string>): string {
  const bundle = loadBuiltinSchemas(availableReleases().at(-1)!);
  for (const [gvk, definition] of Object.entries(bundle.kinds)) {
    const parts = gvk.split('/');
    const kind = parts.pop()!;
    if (!kinds.has(kind)) continue;
    const suffix = parts.length === 2 ? `-${parts[0].split('.')[0]}-${parts[1]}` : `-${parts[0]}`;
    const reachable: Record<string, JsonSchema> = {};
    const pending = [definition];
    while (pending.length) {
      const name = pending.pop()!;
      if (reachable[name]) continue;
      reachable[name] = bundle.definitions[name];
      for (const match of JSON.stringify(bundle.definitions[name]).matchAll(/"#\/definitions\/([^"]+)"/g)) pending.push(match[1]);
    }
    const schema = { allOf: [{ $ref: `#/definitions/${definition}` }], definitions: reachable };
    fs.writeFileSync(path.join(dir, `${kind.toLowerCase()}${suffix}.json`), JSON.stringify(schema));
  }
  return `${dir}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
}

function parseFleet(dir: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    // as the render stage reads kustomize's output: the fast reader, the full parser only for what it declines
    for (const text of splitDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      try {
        objects.push(readRenderedDocument(text) as K8sObject);
      } catch (error) {
        if (!(error instanceof OutsideSubset)) throw error;
        objects.push(parseDocument(text).toJS() as K8sObject);
      }
    }
  }
  return objects;
}

export interface SchemaBenchRow {
  label: string;
  objects: number;
  ms: number;
}

export async function schemaBench(kubeconform = path.join(os.homedir(), 'go/bin/kubeconform')): Promise<SchemaBenchRow[]> {
  const fleetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
  const schemaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kubeconform-schemas-'));
  const count = writeFleet(fleetDir);
  const rows: SchemaBenchRow[] = [];
  const releases = availableReleases();

  let start = performance.now();
  const objects = parseFleet(fleetDir);
  rows.push({ label: 'YAML parse (the render stage does it once for every rule)', objects: count, ms: performance.now() - start });

  const validators: [string, () => ObjectSchemaValidator][] = [
    ['schema/strict (schema walker, what the check uses)', () => new SchemaValidator()],
    ['ajv (the reference in the tests)', () => new AjvSchemaValidator()],
  ];
  for (const [name, make] of validators) {
    start = performance.now();
    const result = validateClusterObjects(objects, '1.33', releases, make());
    rows.push({ label: `${name} cold: first objects of the 5 kinds + validate`, objects: count, ms: performance.now() - start });
    const problems = result.results.reduce((n, r) => n + (r.status === 'validated' ? r.problems.length : 1), 0);
    if (problems !== 0) throw new Error(`the synthetic fleet should be valid, got ${problems} problems`);

    const warm = make();
    validateClusterObjects(objects.slice(0, 5), '1.33', releases, warm);
    start = performance.now();
    validateClusterObjects(objects, '1.33', releases, warm);
    rows.push({ label: `${name} warm: validate only`, objects: count, ms: performance.now() - start });
  }

  if (fs.existsSync(kubeconform)) {
    const location = writeKubeconformSchemas(schemaDir, new Set(objects.map((o) => o.kind)));
    for (const goroutines of ['1', '4']) {
      start = performance.now();
      const r = await run(kubeconform, ['-strict', '-summary', '-n', goroutines, '-schema-location', location, fleetDir]);
      const ms = performance.now() - start;
      if (r.code !== 0) throw new Error(`kubeconform failed (${r.code}): ${(r.stdout + r.stderr).slice(0, 500)}`);
      rows.push({ label: `kubeconform -strict -n ${goroutines} (same schemas, whole process)`, objects: count, ms });
    }
  } else {
    process.stderr.write(`  kubeconform not found at ${kubeconform}: build it with go install github.com/yannh/kubeconform/cmd/kubeconform@latest\n`);
  }
  fs.rmSync(fleetDir, { recursive: true, force: true });
  fs.rmSync(schemaDir, { recursive: true, force: true });
  return rows;
}

export function printSchemaBench(rows: SchemaBenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  const reference = rows.find((r) => r.label.startsWith('kubeconform -strict -n 1'));
  console.log(`\nschema validation of a synthetic fleet (${rows[0]?.objects} objects, one run each)`);
  console.log(`${'what'.padEnd(width)}  seconds  objects/s  vs kubeconform -n 1`);
  for (const row of rows) {
    const perSecond = (row.objects / row.ms) * 1000;
    const ratio = reference ? `${(reference.ms / row.ms).toFixed(2)}x` : 'n/a';
    console.log(`${row.label.padEnd(width)}  ${(row.ms / 1000).toFixed(2).padStart(7)}  ${perSecond.toFixed(0).padStart(9)}  ${ratio.padStart(8)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  schemaBench().then(printSchemaBench, (error) => {
    console.error(`schema bench: ${(error as Error).message}`);
    process.exit(2);
  });
}
