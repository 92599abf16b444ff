import { defineRule, describeRef, refOf } from '../tools/lib/core/rule.ts';
import { normalizeHostPath, runtimeSocketUnder } from '../tools/lib/security/runtime-socket.ts';

export default defineRule({
  id: 'security/runtime-socket',
  severity: 'error',
  description: 'No pod mounts the container runtime\'s socket (docker.sock, containerd.sock, crio.sock) or a host directory holding it',
  rationale:
    'The runtime socket is root on the node: whoever can write to it starts privileged containers, reads every other ' +
    'container\'s filesystem and environment, and escapes to the host, whatever the pod\'s own securityContext says. ' +
    'Pod Security baseline forbids hostPath altogether, but a namespace may run privileged (a CI runner, a node agent) ' +
    'and this is the one mount that must stay out even there. Mounting /var/run or /run exposes the socket as well.',
  howToFix:
    'Build images without a daemon (kaniko, buildah, BuildKit rootless) and read container data through the Kubernetes ' +
    'API instead of the runtime. Remove the volume:\n\n' +
    '  volumes:\n' +
    '  - name: docker-sock        # delete\n' +
    '    hostPath:\n' +
    '      path: /var/run/docker.sock\n\n' +
    'A node agent that truly needs it (a log shipper reading container metadata) is waived in policies/config.yaml ' +
    'with a reason and an expiry.',
  check({ graph, report }) {
    for (const template of graph.podTemplates) {
      const volumes = template.spec.volumes;
      if (!Array.isArray(volumes)) continue;
      volumes.forEach((volume: any, index: number) => {
        const hostPath = volume?.hostPath?.path;
        if (typeof hostPath !== 'string') return;
        const socket = runtimeSocketUnder(hostPath);
        if (!socket) return;
        const through = normalizeHostPath(hostPath) === socket ? '' : ` (through ${hostPath})`;
        report({
          object: template.owner,
          path: [...template.specPath, 'volumes', index, 'hostPath', 'path'],
          message: `volume "${String(volume.name ?? '')}" of ${describeRef(refOf(template.owner))} mounts the container runtime socket ${socket} from the host${through}; whoever can write to it controls every container on the node`,
        });
      });
    }
  },
});
