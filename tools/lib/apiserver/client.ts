// A minimal HTTPS client for the local kube-apiserver: bearer token, its own self-signed CA, JSON in and out, and the
// warnings the server sends back (`Warning: 299 - "..."` headers).
import https from 'node:https';

export interface ApiResponse {
  status: number;
  body: any;
  warnings: string[];
}

/** The text of each `299 - "message"` warning header (RFC 7234 warn-text, as kube-apiserver writes it). */
export function parseWarnings(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const warnings: string[] = [];
  for (const value of values) {
    for (const match of value.matchAll(/\d{3} [^ ]+ "((?:[^"\\]|\\.)*)"/g)) warnings.push(match[1].replace(/\\(.)/g, '$1'));
  }
  return warnings;
}

export class ApiClient {
  private readonly agent: https.Agent;

  constructor(readonly port: number, private readonly token: string, ca: string) {
    this.agent = new https.Agent({ ca, keepAlive: true, maxSockets: 8 });
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // plain text answers (/readyz) stay text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings: parseWarnings(res.headers.warning) });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
