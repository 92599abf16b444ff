// What a probe checks (its handler) and how long it takes to give up, as the kubelet runs it.
import type { Container } from '../core/graph.ts';

export type ProbeName = 'readinessProbe' | 'livenessProbe' | 'startupProbe';

export interface ProbeHandler {
  /** Equal keys mean the kubelet performs the same check. */
  key: string;
  /** For messages: `httpGet /health on port 8080`. */
  text: string;
}

/** A named port resolves to the container's number, so `port: http` and `port: 8080` are the same check. */
function portOf(port: unknown, container: Container): string {
  if (typeof port === 'string' && Array.isArray(container.ports)) {
    const named = container.ports.find((p: any) => p?.name === port);
    if (typeof named?.containerPort === 'number') return String(named.containerPort);
  }
  return String(port);
}

export function probeHandler(probe: unknown, container: Container): ProbeHandler | undefined {
  if (!probe || typeof probe !== 'object') return undefined;
  const p = probe as Record<string, any>;
  if (p.httpGet && typeof p.httpGet === 'object') {
    const path = typeof p.httpGet.path === 'string' && p.httpGet.path !== '' ? p.httpGet.path : '/';
    const port = portOf(p.httpGet.port, container);
    const scheme = String(p.httpGet.scheme ?? 'HTTP').toUpperCase();
    const host = String(p.httpGet.host ?? '');
    return { key: `http|${scheme}|${host}|${port}|${path}`, text: `httpGet ${path} on port ${port}` };
  }
  if (p.tcpSocket && typeof p.tcpSocket === 'object') {
    const port = portOf(p.tcpSocket.port, container);
    return { key: `tcp|${String(p.tcpSocket.host ?? '')}|${port}`, text: `tcpSocket on port ${port}` };
  }
  if (p.grpc && typeof p.grpc === 'object') {
    const port = portOf(p.grpc.port, container);
    const service = String(p.grpc.service ?? '');
    return { key: `grpc|${port}|${service}`, text: `grpc on port ${port}${service ? ` (service ${service})` : ''}` };
  }
  if (p.exec && typeof p.exec === 'object' && Array.isArray(p.exec.command)) {
    const command = p.exec.command.map(String);
    return { key: `exec|${JSON.stringify(command)}`, text: `exec ${JSON.stringify(command)}` };
  }
  return undefined;
}

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Seconds of consecutive failures before the kubelet acts: periodSeconds × failureThreshold (API defaults 10 and 3). */
export function failureWindowSeconds(probe: unknown): number {
  const p = (probe ?? {}) as Record<string, unknown>;
  return positiveInteger(p.periodSeconds, 10) * positiveInteger(p.failureThreshold, 3);
}
