import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { containersOf } from '../tools/lib/core/graph.ts';
import { describeTemplate, isExternalName } from '../tools/lib/ports/port-registry.ts';
import { listeningPortsOf, parsePortNumber, servicePortsOf } from '../tools/lib/ports/port-model.ts';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
/** grpc probes take only a number, so they are not here. */
const PROBE_HANDLERS = ['httpGet', 'tcpSocket'] as const;

export default defineRule({
  id: 'ports/named-target-port',
  severity: 'warning',
  description: 'Service targetPorts and probe ports use the container port name, and every name used is declared',
  rationale:
    'A targetPort or probe written as a number repeats the container port: when the container moves to another port the Service ' +
    'or probe silently keeps the old one. A name follows the container. The opposite mistake is worse: a targetPort name that no ' +
    'selected container declares gives the Service no endpoints at all, and a probe port name the container does not declare fails ' +
    'every probe; those are reported as errors.',
  howToFix:
    'Name the container port and refer to the name:\n\n' +
    '  ports:\n' +
    '    - name: grpc\n' +
    '      containerPort: 50055\n' +
    '  ...\n' +
    '  # Service\n' +
    '  ports:\n' +
    '    - name: grpc\n' +
    '      port: 50055\n' +
    '      targetPort: grpc\n' +
    '  # probe\n' +
    '  readinessProbe:\n' +
    '    tcpSocket:\n' +
    '      port: grpc\n\n' +
    'For an undeclared name, declare it on the container (or fix the typo in the Service/probe).',
  messages: {
    numericTargetPort: '{{service}} port {{port}} targets container port {{targetPort}} by number, but {{pods}} names it "{{name}}"',
    undeclaredTargetPort: '{{service}} port {{port}} targets port name "{{name}}", which {{pods}} {{never}}: those pods get no endpoint for this port',
    undeclaredTargetPortNames:
      '{{service}} port {{port}} targets port name "{{name}}", which {{pods}} {{never}}: those pods get no endpoint for this port (declared names: {{declared}})',
    numericProbePort: '{{probe}} uses port {{port}} by number, but the container names it "{{name}}"',
    undeclaredProbePort: '{{probe}} uses port name "{{name}}", which the container does not declare: the probe can never succeed',
    undeclaredProbePortNames:
      '{{probe}} uses port name "{{name}}", which the container does not declare: the probe can never succeed (declared names: {{declared}})',
  },
  check({ graph, report }) {
    for (const service of graph.byKind('Service')) {
      if (isExternalName(service)) continue;
      const templates = graph.podsBehind(service);
      if (templates.length === 0) continue;
      const serviceName = describeRef(refOf(service));
      for (const port of servicePortsOf(service)) {
        const path = ['spec', 'ports', port.index, 'targetPort'];
        if (typeof port.targetPort === 'number') {
          const named = templates
            .flatMap((t) => listeningPortsOf(t).map((p) => ({ template: t, port: p })))
            .find(({ port: p }) => p.containerPort === port.targetPort && p.protocol === port.protocol && p.name);
          if (!named) continue;
          report({
            object: service,
            path,
            messageId: 'numericTargetPort',
            data: { service: serviceName, port: String(port.port), targetPort: port.targetPort, pods: describeTemplate(named.template), name: String(named.port.name) },
            fix: `targetPort: ${named.port.name}`,
            related: [{ message: `container port ${named.port.name}: ${named.port.containerPort}`, object: named.template.owner, path: named.port.path.slice(0, -1) }],
          });
        } else if (typeof port.targetPort === 'string') {
          const lacking = templates.filter((t) => !listeningPortsOf(t).some((p) => p.name === port.targetPort && p.protocol === port.protocol));
          if (lacking.length === 0) continue;
          const declared = [...new Set(lacking.flatMap((t) => listeningPortsOf(t).map((p) => p.name).filter(Boolean)))];
          report({
            object: service,
            path,
            severity: 'error',
            messageId: declared.length ? 'undeclaredTargetPortNames' : 'undeclaredTargetPort',
            data: {
              service: serviceName,
              port: String(port.port),
              name: port.targetPort,
              pods: lacking.map(describeTemplate).join(', '),
              never: lacking.length === 1 ? 'never declares' : 'never declare',
              declared: declared.join(', '),
            },
            fix: declared.length ? `targetPort: ${declared[0]}` : `# on the container\nports:\n  - name: ${port.targetPort}\n    containerPort: ${port.port}`,
            related: lacking.map((t) => ({ message: `${describeTemplate(t)} has no port named ${port.targetPort}`, object: t.owner, path: t.specPath })),
          });
        }
      }
    }

    for (const template of graph.podTemplates) {
      for (const entry of containersOf(template)) {
        if (entry.kind === 'ephemeralContainers') continue;
        const own = (Array.isArray(entry.container.ports) ? entry.container.ports : []) as any[];
        for (const probe of PROBES) {
          for (const handler of PROBE_HANDLERS) {
            const value = entry.container[probe]?.[handler]?.port;
            if (value === undefined) continue;
            const path = [...entry.path, probe, handler, 'port'];
            const where = `${probe} of container "${entry.container.name}" in ${describeTemplate(template)}`;
            const number = parsePortNumber(value);
            if (number !== undefined) {
              const named = own.find((p) => parsePortNumber(p?.containerPort) === number && typeof p?.name === 'string');
              if (!named) continue;
              report({
                object: template.owner,
                path,
                messageId: 'numericProbePort',
                data: { probe: where, port: number, name: named.name },
                fix: `${handler}:\n  port: ${named.name}`,
              });
            } else if (typeof value === 'string' && !own.some((p) => p?.name === value)) {
              const names = own.map((p) => p?.name).filter((n) => typeof n === 'string');
              report({
                object: template.owner,
                path,
                severity: 'error',
                messageId: names.length ? 'undeclaredProbePortNames' : 'undeclaredProbePort',
                data: { probe: where, name: value, declared: names.join(', ') },
                fix: names.length ? `${handler}:\n  port: ${names[0]}` : `ports:\n  - name: ${value}\n    containerPort: <port>`,
              });
            }
          }
        }
      }
    }
  },
});
