// Host paths that expose a container runtime's API socket.

/** The container runtimes' API sockets; a mounted directory above one exposes it as well. */
const SOCKETS = [
  '/var/run/docker.sock', '/run/docker.sock', '/var/run/cri-dockerd.sock', '/run/cri-dockerd.sock',
  '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock',
  '/var/run/crio/crio.sock', '/run/crio/crio.sock', '/var/run/podman/podman.sock', '/run/podman/podman.sock',
];

export function normalizeHostPath(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** The socket a host path exposes: the socket itself, or the first socket under a mounted directory (`/var/run`, `/`). */
export function runtimeSocketUnder(hostPath: string): string | undefined {
  const path = normalizeHostPath(hostPath);
  return SOCKETS.find((socket) => socket === path || socket.startsWith(path === '/' ? '/' : `${path}/`));
}
