import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import type { K8sObject } from '../tools/lib/core/types.ts';
import { parseAddress } from '../tools/lib/ports/service-refs.ts';
import { DEFAULT_REGISTRY_NAME, PORT_NAME_RE, REGISTRY_KEY_ANNOTATION, REGISTRY_NAME_OPTION, describeTemplate, isExternalName, registryKeysOf, registryOf } from '../tools/lib/ports/port-registry.ts';
import { listeningPortsOf, parsePortNumber, servicePortsOf } from '../tools/lib/ports/port-model.ts';

interface Options {
  registryName: string;
}

export default defineRule<Options>({
  id: 'ports/registry-consistency',
  severity: 'error',
  description: 'Every Service port, and the container port behind it, agrees with its entry in the port registry ConfigMap',
  rationale:
    'The registry ConfigMap is only a single source of truth if the Services agree with it. A Service port missing from the ' +
    'registry is a port someone will hardcode; a Service or container listening on a port other than the registry says is the ' +
    'seed 000 outage waiting for its first client; two Services claiming one key make the key mean two things.',
  howToFix:
    'Make the Service port, its container port and the registry entry the same number. The key is <SERVICE>_PORT for a ' +
    'single-port Service and <SERVICE>_<PORTNAME>_PORT for a multi-port one (SERVICE and PORTNAME upper-cased, "-" as "_"):\n\n' +
    '  # ConfigMap service-ports\n' +
    '  ORCHESTRATOR_PORT: "50055"\n\n' +
    `When the name does not fit, name the key on the Service: \`${REGISTRY_KEY_ANNOTATION}: RAY_CLIENT_PORT\` (single port) or ` +
    '`client=RAY_CLIENT_PORT, dashboard=RAY_DASHBOARD_PORT` (multi-port). ExternalName Services are not checked. The registry ' +
    'ConfigMap name is the option registryName (default service-ports).\n' +
    'To waive: in policies/config.yaml `waivers: [{rule: ports/registry-consistency, object: "Service ns/name", reason: ..., expires: YYYY-MM-DD}]`, ' +
    'or on the Service the annotation `policy-check.dev/waivers: "[{rule: ports/registry-consistency, reason: ..., expires: YYYY-MM-DD}]"`.',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { ...REGISTRY_NAME_OPTION } },
  defaultOptions: { registryName: DEFAULT_REGISTRY_NAME },
  check({ graph, options, report }) {
    const registryName = options.registryName;
    const claims = new Map<string, { service: K8sObject; portIndex: number }>();

    for (const service of graph.byKind('Service')) {
      if (isExternalName(service)) continue;
      const namespace = service.metadata.namespace ?? 'default';
      const registry = registryOf(graph, namespace, registryName);
      const keys = registryKeysOf(service, registry);
      const name = describeRef(refOf(service));
      if (keys.annotationError) {
        report({ object: service, path: ['metadata', 'annotations', REGISTRY_KEY_ANNOTATION], message: `${name}: ${keys.annotationError}` });
      }
      for (const port of servicePortsOf(service)) {
        if (port.port === undefined) continue;
        const choice = keys.byPort.get(port.index)!;
        const portPath = ['spec', 'ports', port.index, 'port'];
        const label = `${name} port ${port.port}${port.name ? ` (${port.name})` : ''}`;

        const claimKey = `${namespace}/${choice.key}`;
        const earlier = claims.get(claimKey);
        if (earlier && earlier.service !== service) {
          report({
            object: service,
            path: choice.explicit ? ['metadata', 'annotations', REGISTRY_KEY_ANNOTATION] : portPath,
            key: choice.key,
            message: `${label} claims registry key ${choice.key}, which ${describeRef(refOf(earlier.service))} already claims`,
            fix: `give one of them its own key with the annotation ${REGISTRY_KEY_ANNOTATION}`,
            related: [{ message: `${describeRef(refOf(earlier.service))} claims ${choice.key}`, object: earlier.service, path: ['spec', 'ports', earlier.portIndex, 'port'] }],
          });
        } else if (!earlier) {
          claims.set(claimKey, { service, portIndex: port.index });
        }

        if (!registry) {
          report({
            object: service,
            path: portPath,
            message: `${label} is in no registry: namespace ${namespace} has no ConfigMap ${registryName}`,
            fix: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${registryName}\n  namespace: ${namespace}\ndata:\n  ${choice.key}: "${port.port}"`,
          });
          continue;
        }
        const written = registry.data[choice.key];
        if (written === undefined) {
          report({
            object: service,
            path: portPath,
            message: `${label} is missing from the registry: add ${choice.key}: "${port.port}" to ConfigMap ${namespace}/${registryName}`,
            fix: `# ConfigMap ${registryName}\ndata:\n  ${choice.key}: "${port.port}"`,
            related: [{ message: `registry ConfigMap ${namespace}/${registryName}`, object: registry.configMap, path: ['data'] }],
          });
          continue;
        }
        const registered = parsePortNumber(written);
        if (registered === undefined) {
          report({
            object: registry.configMap,
            path: ['data', choice.key],
            message: `registry entry ${choice.key}: "${written}" is not a port number (1-65535)`,
            related: [{ message: `used by ${label}`, object: service, path: portPath }],
          });
          continue;
        }
        if (registered !== port.port) {
          report({
            object: service,
            path: portPath,
            message: `${label} disagrees with the registry: ${choice.key} is ${registered}`,
            fix: `port: ${registered}`,
            related: [{ message: `registry entry ${choice.key}: "${written}"`, object: registry.configMap, path: ['data', choice.key] }],
          });
          continue;
        }
        // A numeric targetPort is a deliberate translation; otherwise the container should listen on the registry's port.
        if (typeof port.targetPort === 'number') continue;
        const wantedName = typeof port.targetPort === 'string' ? port.targetPort : port.name;
        if (!wantedName) continue;
        for (const template of graph.podsBehind(service)) {
          const match = listeningPortsOf(template).find((p) => p.name === wantedName && p.protocol === port.protocol);
          if (!match || match.containerPort === registered) continue;
          report({
            object: template.owner,
            path: match.path,
            key: `${name}#${port.index}`,
            message: `container port ${wantedName} of ${describeTemplate(template)} is ${match.containerPort}, but ${label} routes to it and the registry says ${choice.key} is ${registered}`,
            fix: `containerPort: ${registered}`,
            related: [
              { message: `${label}`, object: service, path: portPath },
              { message: `registry entry ${choice.key}: "${written}"`, object: registry.configMap, path: ['data', choice.key] },
            ],
          });
        }
      }
    }

    // Within the registry: <SERVICE>_ADDRESS carries the same port as <SERVICE>_PORT.
    for (const configMap of graph.byKind('ConfigMap')) {
      if (configMap.metadata.name !== registryName) continue;
      const registry = registryOf(graph, configMap.metadata.namespace ?? 'default', registryName);
      if (!registry || registry.configMap !== configMap) continue; // a second ConfigMap of that name: render/duplicate-object's finding
      for (const [key, value] of Object.entries(registry.data)) {
        if (!key.endsWith('_ADDRESS') || PORT_NAME_RE.test(key)) continue;
        const portKey = key.replace(/_ADDRESS$/, '_PORT');
        const registered = parsePortNumber(registry.data[portKey]);
        const address = parseAddress(value);
        if (registered === undefined || address?.port === undefined || address.port === registered) continue;
        report({
          object: configMap,
          path: ['data', key],
          message: `registry entry ${key} says port ${address.port}, but ${portKey} in the same registry says ${registered}`,
          fix: `${key}: "${value.replace(`:${address.port}`, `:${registered}`)}"`,
          related: [{ message: `registry entry ${portKey}: "${registry.data[portKey]}"`, object: configMap, path: ['data', portKey] }],
        });
      }
    }
  },
});
