import { defineRule, describeRef, refOf, type RelatedPlace } from '../tools/lib/core/rule.ts';
import { containersOf, getPath, type ClusterGraph, type PodTemplate } from '../tools/lib/core/graph.ts';
import type { FieldPath, K8sObject } from '../tools/lib/core/types.ts';
import { inClusterTarget, serviceReferences, parseAddress, type ServiceReference, type ServiceTarget } from '../tools/lib/ports/service-refs.ts';
import { declaredServiceFor } from '../tools/lib/references/declared-services.ts';
import { DEFAULT_REGISTRY_NAME, PORT_NAME_RE, REGISTRY_NAME_OPTION, configMapKeyRefYaml, keyBase, keysWithValue, registryKeysOf, registryOf, type Registry } from '../tools/lib/ports/port-registry.ts';
import { parsePortNumber } from '../tools/lib/ports/port-model.ts';

interface Options {
  registryName: string;
}

const PORT_FLAG_RE = /^--?[a-z0-9._-]*port$/i;
const PORT_FLAG_WITH_VALUE_RE = /^(--?[a-z0-9._-]*port)=(\d{1,5})$/i;

interface Suggestion {
  key: string;
  /** The registry already holds this key. */
  exists: boolean;
  /** The registry's value for the key, when it differs from the literal. */
  registryValue?: string;
}

function suggestAddressKey(registry: Registry | undefined, ref: ServiceReference, target: ServiceTarget): Suggestion {
  const exact = keysWithValue(registry, ref.raw)[0];
  if (exact) return { key: exact, exists: true };
  const sameTarget = Object.entries(registry?.data ?? {}).find(([key, value]) => {
    if (PORT_NAME_RE.test(key)) return false;
    const address = parseAddress(value);
    const resolved = address && inClusterTarget(address.host, registry!.namespace);
    return resolved?.name === target.name && resolved.namespace === target.namespace;
  });
  if (sameTarget) return { key: sameTarget[0], exists: true, registryValue: sameTarget[1] };
  return { key: `${keyBase(target.name)}_ADDRESS`, exists: false };
}

/** The key a new registry entry for this port would get: <WORKLOAD>_PORT, or <WORKLOAD>_<NAME> for GRPC_PORT, --metrics-port ... */
function newPortKey(workload: string, name: string): string {
  const base = keyBase(workload);
  const named = keyBase(name.replace(/^-+/, ''));
  if (named === 'PORT') return `${base}_PORT`;
  if (named.startsWith(`${base}_`)) return named;
  return `${base}_${named}`;
}

/** The registry key for a literal port: the key of a Service selecting this pod with that port, else any key with that value. */
function suggestPortKey(graph: ClusterGraph, registry: Registry | undefined, template: PodTemplate | undefined, port: number, newKey: string): Suggestion {
  if (template) {
    for (const service of graph.byKind('Service', template.namespace)) {
      if (!graph.podsBehind(service).includes(template)) continue;
      for (const choice of registryKeysOf(service, registry).byPort.values()) {
        if (registry?.data[choice.key]?.trim() === String(port)) return { key: choice.key, exists: true };
      }
    }
  }
  const byValue = keysWithValue(registry, String(port)).find((k) => PORT_NAME_RE.test(k));
  if (byValue) return { key: byValue, exists: true };
  const existing = registry?.data[newKey];
  return existing === undefined ? { key: newKey, exists: false } : { key: newKey, exists: true, registryValue: existing };
}

function registryNote(registryName: string, namespace: string, suggestion: Suggestion, literal: string): string {
  if (!suggestion.exists) return `add ${suggestion.key}: "${literal}" to ConfigMap ${namespace}/${registryName} and read it from there`;
  if (suggestion.registryValue !== undefined && suggestion.registryValue !== literal) {
    return `read ${suggestion.key} from ConfigMap ${namespace}/${registryName} (the registry says "${suggestion.registryValue}")`;
  }
  return `read ${suggestion.key} from ConfigMap ${namespace}/${registryName}`;
}

function relatedRegistry(registry: Registry | undefined, suggestion: Suggestion): RelatedPlace[] {
  if (!registry || !suggestion.exists) return [];
  return [{ message: `registry entry ${suggestion.key}: "${registry.data[suggestion.key]}"`, object: registry.configMap, path: ['data', suggestion.key] }];
}

function argFix(registryName: string, key: string, arg: string, literal: string): string {
  return [
    `args: ["${arg.replace(literal, `$(${key})`)}"]`,
    `env:`,
    configMapKeyRefYaml(key, registryName, key).replace(/^/gm, '  '),
  ].join('\n');
}

export default defineRule<Options>({
  id: 'ports/env-from-registry',
  severity: 'error',
  description: 'Ports and in-cluster addresses come from the port registry ConfigMap, never as literals',
  rationale:
    "Seed 000: the orchestrator's port was written in three places and wrong in one; monitoring dialled orchestrator:50052 while " +
    'the Service listened on 50055, and nothing noticed until the dashboard was empty. A port written once, in the registry ConfigMap ' +
    '(`service-ports`, one per namespace), and read everywhere through configMapKeyRef changes in one place and cannot drift. ' +
    'This rule finds the copies: literal env values that are a port or a host:port address of an in-cluster Service, the same ' +
    'literals in other ConfigMaps, and in container args/command.',
  howToFix:
    'Read the value from the registry instead of writing it:\n\n' +
    '  env:\n' +
    '    - name: ORCHESTRATOR_ADDRESS\n' +
    '      valueFrom:\n' +
    '        configMapKeyRef:\n' +
    '          name: service-ports\n' +
    '          key: ORCHESTRATOR_ADDRESS\n\n' +
    'In args, expand the env var: args: ["--orchestrator=$(ORCHESTRATOR_ADDRESS)"]. If the registry lacks the key, add it there ' +
    '(`ORCHESTRATOR_ADDRESS: "orchestrator.swe-ai-fleet.svc.cluster.local:50055"`). The message names the key to use.',
  messages: {
    envAddress: 'env {{env}} of container "{{container}}" hardcodes the address {{address}}: {{note}}',
    configMapAddress: 'ConfigMap {{namespace}}/{{configMap}} key {{key}} repeats the address {{address}} outside the registry: {{note}}',
    argAddress: '{{field}} of container "{{container}}" hardcodes the address {{address}}: {{note}}, and pass it as $({{registryKey}})',
    envPort: 'env {{env}} of container "{{container}}" hardcodes port {{port}}: {{note}}',
    argPort: '{{field}} of container "{{container}}" hardcodes port {{port}} in {{flag}}: {{note}}, and pass it as $({{registryKey}})',
    configMapPort: 'ConfigMap {{namespace}}/{{configMap}} key {{key}} repeats port {{port}} outside the registry: {{note}}',
  },
  optionsSchema: { type: 'object', additionalProperties: false, properties: { ...REGISTRY_NAME_OPTION } },
  defaultOptions: { registryName: DEFAULT_REGISTRY_NAME },
  check({ graph, cluster, options, report }) {
    const registryName = options.registryName;
    const registries = new Map<string, Registry | undefined>();
    const registryIn = (namespace: string) => {
      if (!registries.has(namespace)) registries.set(namespace, registryOf(graph, namespace, registryName));
      return registries.get(namespace);
    };
    const isRegistry = (object: K8sObject) => object.kind === 'ConfigMap' && object.metadata.name === registryName;

    // Literal addresses of in-cluster Services, one finding per written value.
    const byPlace = new Map<string, ServiceReference[]>();
    // A declared Service outside the render (provides.services) is in-cluster too, however its host is written.
    const targets = new Map<ServiceReference, ServiceTarget>();
    for (const ref of serviceReferences(graph)) {
      if (!['env-literal', 'args', 'command', 'configmap'].includes(ref.via)) continue;
      const target = ref.target ?? declaredServiceFor(graph, cluster, ref)?.target;
      if (ref.address.port === undefined || !target || isRegistry(ref.holder)) continue;
      targets.set(ref, target);
      const value = getPath(ref.holder, ref.path);
      if (ref.via === 'configmap' && (typeof value !== 'string' || value.trim().includes('\n'))) continue;
      const place = `${describeRef(refOf(ref.holder))}#${ref.path.join('.')}`;
      byPlace.set(place, [...(byPlace.get(place) ?? []), ref]);
    }
    for (const refs of byPlace.values()) {
      const first = refs[0];
      const namespace = first.holder.metadata.namespace ?? 'default';
      const registry = registryIn(namespace);
      const suggestions = refs.map((ref) => suggestAddressKey(registry, ref, targets.get(ref)!));
      const literal = refs.map((r) => `"${r.raw}"`).join(', ');
      const notes = refs.map((ref, i) => registryNote(registryName, namespace, suggestions[i], ref.raw)).join('; ');
      const related = suggestions.flatMap((s) => relatedRegistry(registry, s));
      const key = suggestions[0].key;
      if (first.via === 'env-literal') {
        const envPath = first.path.slice(0, -1);
        const envName = String(getPath(first.holder, [...envPath, 'name']) ?? key);
        const container = getPath(first.holder, envPath.slice(0, -2)) as any;
        report({
          object: first.holder,
          path: first.path,
          messageId: 'envAddress',
          data: { env: envName, container: String(container?.name), address: literal, note: notes },
          fix: configMapKeyRefYaml(envName, registryName, key) + (suggestions[0].exists ? '' : `\n# and in ConfigMap ${registryName}: ${key}: "${first.raw}"`),
          related,
        });
      } else if (first.via === 'configmap') {
        report({
          object: first.holder,
          path: first.path,
          messageId: 'configMapAddress',
          data: { namespace, configMap: String(first.holder.metadata.name), key: String(first.path[1]), address: literal, note: notes },
          fix: `remove ${String(first.path[1])} here and have its readers use\n` + configMapKeyRefYaml(String(first.path[1]), registryName, key),
          related,
        });
      } else {
        const arg = String(getPath(first.holder, first.path));
        report({
          object: first.holder,
          path: first.path,
          messageId: 'argAddress',
          data: { field: first.via, container: String((getPath(first.holder, first.path.slice(0, -2)) as any)?.name), address: literal, note: notes, registryKey: key },
          fix: argFix(registryName, key, arg, first.raw),
          related,
        });
      }
    }

    // Literal port numbers.
    for (const template of graph.podTemplates) {
      const namespace = template.namespace;
      const owner = template.owner;
      for (const entry of containersOf(template)) {
        const container = entry.container;
        (Array.isArray(container.env) ? container.env : []).forEach((env: any, index: number) => {
          if (typeof env?.name !== 'string' || !PORT_NAME_RE.test(env.name) || env.value === undefined) return;
          const port = parsePortNumber(env.value);
          if (port === undefined) return;
          const registry = registryIn(namespace);
          const suggestion = suggestPortKey(graph, registry, template, port, newPortKey(owner.metadata.name ?? '', env.name));
          report({
            object: owner,
            path: [...entry.path, 'env', index, 'value'],
            messageId: 'envPort',
            data: { env: env.name, container: String(container.name), port, note: registryNote(registryName, namespace, suggestion, String(port)) },
            fix: configMapKeyRefYaml(env.name, registryName, suggestion.key) + (suggestion.exists ? '' : `\n# and in ConfigMap ${registryName}: ${suggestion.key}: "${port}"`),
            related: relatedRegistry(registry, suggestion),
          });
        });
        for (const field of ['command', 'args'] as const) {
          const list: unknown[] = Array.isArray(container[field]) ? container[field] : [];
          list.forEach((arg, index) => {
            if (typeof arg !== 'string') return;
            let port: number | undefined;
            let flag = '';
            const withValue = PORT_FLAG_WITH_VALUE_RE.exec(arg);
            if (withValue) {
              port = parsePortNumber(withValue[2]);
              flag = withValue[1];
            } else if (index > 0 && typeof list[index - 1] === 'string' && PORT_FLAG_RE.test(list[index - 1] as string)) {
              port = parsePortNumber(arg);
              flag = list[index - 1] as string;
            }
            if (port === undefined) return;
            const registry = registryIn(namespace);
            const suggestion = suggestPortKey(graph, registry, template, port, newPortKey(owner.metadata.name ?? '', flag));
            report({
              object: owner,
              path: [...entry.path, field, index],
              messageId: 'argPort',
              data: { field, container: String(container.name), port, flag, note: registryNote(registryName, namespace, suggestion, String(port)), registryKey: suggestion.key },
              fix: argFix(registryName, suggestion.key, arg, String(port)),
              related: relatedRegistry(registry, suggestion),
            });
          });
        }
      }
    }

    // Port numbers repeated in ConfigMaps other than the registry.
    for (const configMap of graph.byKind('ConfigMap')) {
      if (isRegistry(configMap)) continue;
      const namespace = configMap.metadata.namespace ?? 'default';
      for (const [dataKey, value] of Object.entries(((configMap as any).data ?? {}) as Record<string, unknown>)) {
        if (!PORT_NAME_RE.test(dataKey)) continue;
        const port = parsePortNumber(value);
        if (port === undefined) continue;
        const registry = registryIn(namespace);
        const suggestion = suggestPortKey(graph, registry, undefined, port, keyBase(dataKey));
        const path: FieldPath = ['data', dataKey];
        report({
          object: configMap,
          path,
          messageId: 'configMapPort',
          data: { namespace, configMap: String(configMap.metadata.name), key: dataKey, port, note: registryNote(registryName, namespace, suggestion, String(port)) },
          fix: `remove ${dataKey} here and have its readers use\n` + configMapKeyRefYaml(dataKey, registryName, suggestion.key),
          related: relatedRegistry(registry, suggestion),
        });
      }
    }
  },
});
