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
    'ConfigMap name is the option `registryName`.',
  messages: {
    badKeyAnnotation: '{{service}}: {{problem}}',
    keyClaimedTwice: '{{port}} claims registry key {{key}}, which {{other}} already claims',
    noRegistry: '{{port}} is in no registry: namespace {{namespace}} has no ConfigMap {{registry}}',
    missingKey: '{{port}} is missing from the registry: add {{key}}: "{{number}}" to ConfigMap {{namespace}}/{{registry}}',
    notAPort: 'registry entry {{key}}: "{{value}}" is not a port number (1-65535)',
    disagrees: '{{port}} disagrees with the registry: {{key}} is {{registered}}',
    containerDisagrees:
      'container port {{name}} of {{pods}} is {{containerPort}}, but {{port}} routes to it and the registry says {{key}} is {{registered}}',
    addressDisagrees: 'registry entry {{key}} says port {{addressPort}}, but {{portKey}} in the same registry says {{registered}}',
  },
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
        report({ object: service, path: ['metadata', 'annotations', REGISTRY_KEY_ANNOTATION], messageId: 'badKeyAnnotation', data: { service: name, problem: keys.annotationError } });
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
            messageId: 'keyClaimedTwice',
            data: { port: label, key: choice.key, other: describeRef(refOf(earlier.service)) },
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
            messageId: 'noRegistry',
            data: { port: label, namespace, registry: registryName },
            fix: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${registryName}\n  namespace: ${namespace}\ndata:\n  ${choice.key}: "${port.port}"`,
          });
          continue;
        }
        const written = registry.data[choice.key];
        if (written === undefined) {
          report({
            object: service,
            path: portPath,
            messageId: 'missingKey',
            data: { port: label, key: choice.key, number: port.port, namespace, registry: registryName },
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
            messageId: 'notAPort',
            data: { key: choice.key, value: written },
            related: [{ message: `used by ${label}`, object: service, path: portPath }],
          });
          continue;
        }
        if (registered !== port.port) {
          report({
            object: service,
            path: portPath,
            messageId: 'disagrees',
            data: { port: label, key: choice.key, registered },
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
            messageId: 'containerDisagrees',
            data: { name: wantedName, pods: describeTemplate(template), containerPort: String(match.containerPort), port: label, key: choice.key, registered },
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
          messageId: 'addressDisagrees',
          data: { key, addressPort: address.port, portKey, registered },
          fix: `${key}: "${value.replace(`:${address.port}`, `:${registered}`)}"`,
          related: [{ message: `registry entry ${portKey}: "${registry.data[portKey]}"`, object: configMap, path: ['data', portKey] }],
        });
      }
    }
  },
});
