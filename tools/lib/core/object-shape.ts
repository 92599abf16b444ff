// The shape every later stage relies on: a rendered object that lacks it is reported once and left out of
// the graph, so no rule or accessor ever meets a number where it reads a string or a map where it walks a list.
// kustomize emits objects the API server would refuse; this guard also covers kinds no schema describes.
import type { FieldPath, K8sObject, RenderedObject } from './types.ts';
import { podTemplatePathsOf } from './graph.ts';
import { formatPath } from './yaml-source.ts';

export interface ShapeProblem {
  /** Where inside the object the wrong value is (or would be, for a missing field). */
  path: FieldPath;
  /** e.g. `apiVersion is the number 1, expected a string`. */
  message: string;
}

export interface MalformedObject {
  rendered: RenderedObject;
  problems: ShapeProblem[];
}

export interface ShapePartition {
  kept: RenderedObject[];
  malformed: MalformedObject[];
}

type Shape =
  | { type: 'string' | 'integer' | 'int-or-string' | 'quantity' | 'scalar' }
  | { type: 'map'; fields?: Record<string, Shape>; required?: string[]; values?: Shape }
  | { type: 'list'; items: Shape };

const str: Shape = { type: 'string' };
const int: Shape = { type: 'integer' };
const intOrString: Shape = { type: 'int-or-string' };
const quantity: Shape = { type: 'quantity' };
/** `command: [true]` means the `true` binary to a person; every reader of args and commands skips non-strings. */
const scalar: Shape = { type: 'scalar' };
const list = (items: Shape): Shape => ({ type: 'list', items });
const map = (fields: Record<string, Shape> = {}, required: string[] = []): Shape => ({ type: 'map', fields, required });
const mapOf = (values: Shape): Shape => ({ type: 'map', values });
const stringMap = mapOf(str);

const labelSelector = map({
  matchLabels: stringMap,
  matchExpressions: list(map({ key: str, operator: str, values: list(str) }, ['key', 'operator'])),
});

const probe = map({
  httpGet: map({ port: intOrString, path: str, host: str, scheme: str }),
  tcpSocket: map({ port: intOrString, host: str }),
  grpc: map({ port: int, service: str }),
  exec: map({ command: list(scalar) }),
});

const keyRef = map({ name: str, key: str });

const container = map(
  {
    name: str,
    image: str,
    command: list(scalar),
    args: list(scalar),
    workingDir: str,
    ports: list(map({ containerPort: int, hostPort: int, name: str, protocol: str }, ['containerPort'])),
    env: list(map({ name: str, value: str, valueFrom: map({ configMapKeyRef: keyRef, secretKeyRef: keyRef }) }, ['name'])),
    envFrom: list(map({ prefix: str, configMapRef: map({ name: str }), secretRef: map({ name: str }) })),
    resources: map({ requests: mapOf(quantity), limits: mapOf(quantity) }),
    volumeMounts: list(map({ name: str, mountPath: str }, ['name'])),
    securityContext: map({ capabilities: map({ add: list(str), drop: list(str) }), seccompProfile: map({ type: str }), appArmorProfile: map({ type: str }) }),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
  },
  // no required name: Knative and other CRDs allow unnamed containers, and schema/strict reports a built-in one's
);

const podSpec = map({
  containers: list(container),
  initContainers: list(container),
  ephemeralContainers: list(container),
  volumes: list(map({ name: str, hostPath: map({ path: str }), configMap: map({ name: str }), secret: map({ secretName: str }) }, ['name'])),
  securityContext: map({ sysctls: list(map({ name: str, value: str })), seccompProfile: map({ type: str }), appArmorProfile: map({ type: str }) }),
  serviceAccountName: str,
  nodeSelector: stringMap,
  imagePullSecrets: list(map({ name: str })),
});

// a missing name is kustomize's own error (render/failed); every stage reads a missing name as ''
const metadata = map({ name: str, namespace: str, labels: stringMap, annotations: stringMap });
const templateMetadata = map({ labels: stringMap, annotations: stringMap });

const networkPolicyPeer = map({ podSelector: labelSelector, namespaceSelector: labelSelector, ipBlock: map({ cidr: str, except: list(str) }, ['cidr']) });
const networkPolicyPort = map({ port: intOrString, endPort: int, protocol: str });

/** Kind-specific shapes, for the fields the graph and the rules walk. Pod templates are added by path (podTemplatePathsOf). */
const SPEC_SHAPES: Record<string, Shape> = {
  Service: map({
    type: str,
    selector: stringMap,
    ports: list(map({ port: int, targetPort: intOrString, nodePort: int, name: str, protocol: str }, ['port'])),
    externalName: str,
  }),
  NetworkPolicy: map({
    podSelector: labelSelector,
    policyTypes: list(str),
    ingress: list(map({ from: list(networkPolicyPeer), ports: list(networkPolicyPort) })),
    egress: list(map({ to: list(networkPolicyPeer), ports: list(networkPolicyPort) })),
  }),
  LimitRange: map({
    limits: list(map({ type: str, default: mapOf(quantity), defaultRequest: mapOf(quantity), max: mapOf(quantity), min: mapOf(quantity) })),
  }),
  HorizontalPodAutoscaler: map({ minReplicas: int, maxReplicas: int, scaleTargetRef: map({ apiVersion: str, kind: str, name: str }) }),
  PodDisruptionBudget: map({ selector: labelSelector, minAvailable: intOrString, maxUnavailable: intOrString }),
  CustomResourceDefinition: map({ group: str, scope: str, names: map({ kind: str, plural: str }) }),
};

const TOP_LEVEL_MAPS: Record<string, Record<string, Shape>> = {
  ConfigMap: { data: stringMap, binaryData: stringMap },
  Secret: { data: stringMap, stringData: stringMap },
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `${typeof value === 'boolean' ? 'the boolean' : `a ${typeof value}`} ${String(value)}`;
}

const EXPECTED: Record<Shape['type'], string> = {
  string: 'a string',
  integer: 'an integer',
  'int-or-string': 'an integer or a string',
  quantity: 'a number or a string',
  scalar: 'a string, number or boolean',
  map: 'a map',
  list: 'a list',
};

const isMap = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

function fits(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'int-or-string':
      return typeof value === 'string' || Number.isSafeInteger(value);
    case 'quantity':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'scalar':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'map':
      return isMap(value);
    case 'list':
      return Array.isArray(value);
  }
}

/** Checks `value` at `path` against `shape`; null and absent optional fields are what the API server treats as unset. */
function check(shape: Shape, value: unknown, path: FieldPath, out: ShapeProblem[]): void {
  if (!fits(shape, value)) {
    out.push({ path, message: `${formatPath(path)} is ${describeValue(value)}, expected ${EXPECTED[shape.type]}` });
    return;
  }
  if (shape.type === 'list') {
    (value as unknown[]).forEach((item, index) => check(shape.items, item, [...path, index], out));
  } else if (shape.type === 'map') {
    const record = value as Record<string, unknown>;
    // in the order the fields are written, so the first problem is the first a reader meets
    for (const [field, fieldValue] of Object.entries(record)) {
      const fieldShape = shape.fields && Object.hasOwn(shape.fields, field) ? shape.fields[field] : shape.values;
      if (fieldShape && fieldValue !== undefined && fieldValue !== null) check(fieldShape, fieldValue, [...path, field], out);
    }
    for (const field of shape.required ?? []) {
      if (record[field] === undefined || record[field] === null) out.push({ path: [...path, field], message: `${formatPath([...path, field])} is missing` });
    }
  }
}

/** Each map on the way to a pod template must be a map, or the template is not where the graph looks. */
function checkPodTemplate(object: K8sObject, out: ShapeProblem[]): void {
  const paths = podTemplatePathsOf(object);
  if (!paths) return;
  const walk = (path: FieldPath, shape: Shape) => {
    let value: unknown = object;
    for (let depth = 0; depth < path.length; depth++) {
      value = (value as Record<string, unknown>)[path[depth] as string];
      if (value === undefined || value === null) return;
      const last = depth === path.length - 1;
      if (!last && !isMap(value)) {
        check(map(), value, path.slice(0, depth + 1), out);
        return;
      }
      if (last) check(shape, value, path, out);
    }
  };
  walk(paths.spec, podSpec);
  walk(paths.metadata, templateMetadata);
  const spec = object.spec;
  if (paths.spec.length > 1 && isMap(spec)) {
    const owner = object.kind === 'CronJob' ? getMap(spec, 'jobTemplate', 'spec') : spec;
    const ownerPath: FieldPath = object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : ['spec'];
    if (owner) {
      const selector = object.kind === 'ReplicationController' ? stringMap : labelSelector;
      if (owner.selector !== undefined && owner.selector !== null) check(selector, owner.selector, [...ownerPath, 'selector'], out);
      for (const field of ['replicas', 'parallelism', 'completions']) {
        if (owner[field] !== undefined && owner[field] !== null) check(int, owner[field], [...ownerPath, field], out);
      }
    }
  }
}

function getMap(value: Record<string, unknown>, ...keys: string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const key of keys) current = isMap(current) ? current[key] : undefined;
  return isMap(current) ? current : undefined;
}

/** Everything wrong with the shape of one rendered object; empty when every later stage can read it. */
export function shapeProblems(object: unknown): ShapeProblem[] {
  if (!isMap(object)) return [{ path: [], message: `the document is ${describeValue(object)}, expected a map` }];
  const out: ShapeProblem[] = [];
  for (const field of ['apiVersion', 'kind']) {
    const value = object[field];
    if (value === undefined || value === null) out.push({ path: [field], message: `${field} is missing` });
    else if (typeof value !== 'string' || value.trim() === '') out.push({ path: [field], message: `${field} is ${describeValue(value)}, expected a non-empty string` });
  }
  if (object.metadata === undefined || object.metadata === null) out.push({ path: ['metadata'], message: 'metadata is missing' });
  else check(metadata, object.metadata, ['metadata'], out);
  if (out.length > 0) return out;
  const typed = object as K8sObject;
  const spec = SPEC_SHAPES[typed.kind];
  if (spec && Object.hasOwn(SPEC_SHAPES, typed.kind) && typed.spec !== undefined && typed.spec !== null) check(spec, typed.spec, ['spec'], out);
  const topLevel = Object.hasOwn(TOP_LEVEL_MAPS, typed.kind) ? TOP_LEVEL_MAPS[typed.kind] : undefined;
  for (const [field, shape] of Object.entries(topLevel ?? {})) {
    if (typed[field] !== undefined && typed[field] !== null) check(shape, typed[field], [field], out);
  }
  checkPodTemplate(typed, out);
  const seen = new Set<string>();
  return out.filter((problem) => !seen.has(problem.message) && !!seen.add(problem.message));
}

/** Splits rendered objects into those every later stage can read and those it cannot, keeping the order of each. */
export function partitionByShape(objects: readonly RenderedObject[]): ShapePartition {
  const kept: RenderedObject[] = [];
  const malformed: MalformedObject[] = [];
  for (const rendered of objects) {
    const problems = shapeProblems(rendered.object);
    if (problems.length === 0) kept.push(rendered);
    else malformed.push({ rendered, problems });
  }
  return { kept, malformed };
}
