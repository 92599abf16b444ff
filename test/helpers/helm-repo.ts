// A real chart repository for tests: charts written here, `helm package` + `helm repo index`, served on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface ChartRepository {
  url: string;
  dir: string;
  /** Paths the server was asked for, in order (to prove the cache is reused). */
  requests: string[];
  close(): Promise<void>;
}

/** A chart folder from a map of relative file names to contents. */
export function writeChart(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-chart-src-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Packages the chart folders, indexes them and serves the folder over HTTP on 127.0.0.1. */
export async function serveChartRepository(helm: string, chartDirs: string[]): Promise<ChartRepository> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-repo-'));
  for (const chart of chartDirs) execFileSync(helm, ['package', chart, '--destination', dir], { stdio: 'pipe' });
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(url);
    const file = path.join(dir, path.normalize(url).replace(/^([/\\])+/, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  execFileSync(helm, ['repo', 'index', dir, '--url', url], { stdio: 'pipe' });
  return {
    url,
    dir,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Writes a repository (relative path -> text) into a fresh temporary folder. */
export function writeRepository(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-gitops-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** The CNCF distribution registry binary (`go install github.com/distribution/distribution/v3/cmd/registry@v3.0.0`), if built. */
export function findRegistry(): string | undefined {
  const candidates = [process.env.REGISTRY, path.join(os.homedir(), 'go', 'bin', 'registry')].filter((c): c is string => !!c);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'registry'));
  return candidates.find((c) => fs.existsSync(c));
}

export interface OciRegistry {
  /** host:port */
  host: string;
  stop(): void;
}

/** A local OCI registry on 127.0.0.1 (plain HTTP, storage in a temporary folder), ready when this resolves. */
export async function startRegistry(binary: string, port: number): Promise<OciRegistry> {
  const { spawn } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-registry-'));
  fs.writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn(binary, ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      http.get(`http://${host}/v2/`, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (up) return { host, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`registry did not start on ${host}`);
}
