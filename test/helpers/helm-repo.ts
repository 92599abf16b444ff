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
