// etcd and kube-apiserver as child processes on 127.0.0.1: free ports, a temporary data folder, a service-account key
// pair and a static admin token; always stopped again (exit, SIGINT, SIGTERM).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { ApiClient } from './client.ts';
import type { Binaries } from './binaries.ts';

/** Admission acts on Pods with these (plus the release's default plugins, which include them anyway). */
export const ADMISSION_PLUGINS = ['PodSecurity', 'LimitRanger', 'ResourceQuota'];

const running = new Set<ChildProcess>();
const workDirs = new Set<string>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Process {
  name: string;
  child: ChildProcess;
  /** The last lines it wrote, for the message when it dies or never gets ready. */
  tail: () => string;
  exited: () => number | null | undefined;
}

function startProcess(name: string, command: string, args: string[], logFile: string): Process {
  hookExit();
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  running.add(child);
  let exitCode: number | null | undefined;
  child.on('exit', (code, signal) => {
    exitCode = code ?? (signal ? -1 : null);
    running.delete(child);
  });
  child.on('error', () => {
    exitCode = 127;
    running.delete(child);
  });
  return {
    name,
    child,
    tail: () => {
      try {
        return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      } catch {
        return '';
      }
    },
    exited: () => exitCode,
  };
}

export async function stopProcess(process_: Process): Promise<void> {
  if (process_.exited() !== undefined) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => process_.child.kill('SIGKILL'), 5000);
    process_.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    process_.child.kill('SIGTERM');
  });
}

async function waitFor(what: Process, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (what.exited() !== undefined) throw new Error(`${what.name} exited (${what.exited()}) before it was ready:\n${what.tail()}`);
    const isReady = await ready().catch((error: Error) => {
      lastError = error.message;
      return false;
    });
    if (isReady) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what.name} was not ready after ${timeoutMs / 1000} s${lastError ? ` (last attempt: ${lastError})` : ''}:\n${what.tail()}`);
}

export interface Etcd {
  url: string;
  process: Process;
}

export async function startEtcd(binaries: Binaries, workDir: string): Promise<Etcd> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const etcd = startProcess('etcd', binaries.etcd, [
    '--name', 'verify',
    '--data-dir', path.join(workDir, 'etcd'),
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `verify=http://127.0.0.1:${peer}`,
    // a throwaway store: losing it on a crash costs nothing, fsync costs seconds on a loaded disk
    '--unsafe-no-fsync',
    '--log-level', 'warn',
  ], path.join(workDir, 'etcd.log'));
  await waitFor(etcd, () => new Promise((resolve) => {
    http.get(`${url}/health`, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')));
    }).on('error', () => resolve(false));
  }), 60_000);
  return { url, process: etcd };
}

export interface ApiServer {
  client: ApiClient;
  process: Process;
  port: number;
}

/** One kube-apiserver over `etcd`, keeping its objects under `prefix` so each cluster starts from an empty store. */
export async function startApiServer(binaries: Binaries, etcd: Etcd, workDir: string, prefix: string): Promise<ApiServer> {
  const dir = fs.mkdtempSync(path.join(workDir, 'apiserver-'));
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  fs.writeFileSync(path.join(dir, 'sa.pub'), publicKey);
  fs.writeFileSync(path.join(dir, 'sa.key'), privateKey, { mode: 0o600 });
  const token = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens.csv'), `${token},verify-admin,verify-admin,system:masters\n`, { mode: 0o600 });
  const port = await freePort();
  const server = startProcess('kube-apiserver', binaries.kubeApiserver, [
    '--etcd-servers', etcd.url,
    '--etcd-prefix', prefix,
    '--bind-address', '127.0.0.1',
    '--advertise-address', '127.0.0.1',
    '--secure-port', String(port),
    // no certificate given: kube-apiserver writes a self-signed one (and its CA) here
    '--cert-dir', path.join(dir, 'certs'),
    '--service-account-issuer', 'https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file', path.join(dir, 'sa.pub'),
    '--service-account-signing-key-file', path.join(dir, 'sa.key'),
    '--service-cluster-ip-range', '10.96.0.0/12',
    '--token-auth-file', path.join(dir, 'tokens.csv'),
    '--authorization-mode', 'RBAC',
    '--enable-admission-plugins', ADMISSION_PLUGINS.join(','),
    // kind, k3s and managed clusters allow privileged containers; Pod Security decides who may run them
    '--allow-privileged=true',
    // no Endpoints for the kubernetes Service: 127.0.0.1 is refused there, and nothing here dials it
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    '--v=0',
  ], path.join(dir, 'kube-apiserver.log'));
  const certFile = path.join(dir, 'certs', 'apiserver.crt');
  let client: ApiClient | undefined;
  await waitFor(server, async () => {
    if (!fs.existsSync(certFile)) return false;
    client ??= new ApiClient(port, token, fs.readFileSync(certFile, 'utf8'));
    const ready = await client.request('GET', '/readyz');
    return ready.status === 200;
  }, 60_000);
  return { client: client!, process: server, port };
}

/** A temporary folder for the stores, keys and logs; removed at exit, however the process ends. */
export function makeWorkDir(): string {
  hookExit();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-apiserver-'));
  workDirs.add(dir);
  return dir;
}
