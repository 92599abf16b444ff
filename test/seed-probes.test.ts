// Seeds 002 and 004 name their probes; the repository's workloads keep them (checked against the seed text itself).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './helpers/cli.ts';

const SEEDS = path.resolve(REPO_ROOT, '../shared/seeds');
const seed = (prefix: string) => {
  if (!fs.existsSync(SEEDS)) return undefined;
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  return file ? fs.readFileSync(path.join(SEEDS, file), 'utf8') : undefined;
};
const seed002 = seed('002_');
const seed004 = seed('004_');
if (!seed002 || !seed004) console.warn(`seed probe tests skipped: seeds 002 and 004 not found in ${SEEDS}`);

function workloads(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')).map((d) => d.toJS()).filter((o) => o?.spec?.template);
}

/** A probe with the named port resolved to its number, as the kubelet dials it. */
function resolved(probe: any, container: any): any {
  const copy = structuredClone(probe);
  const port = copy.httpGet?.port;
  if (typeof port === 'string') copy.httpGet.port = container.ports.find((p: any) => p.name === port)?.containerPort;
  return copy;
}

describe.skipIf(!seed002 || !seed004)('probes named by the seeds', () => {
  it('seed 002: Ollama keeps the liveness, readiness and startup probes of section 7', () => {
    const section = seed002!.slice(seed002!.indexOf('### 7. Health Checks'));
    const kubernetesBlock = /\*\*Kubernetes:\*\*\s*```yaml\n([\s\S]*?)```/.exec(section)![1];
    const expected = parse(kubernetesBlock) as Record<string, any>;
    expect(Object.keys(expected)).toEqual(['livenessProbe', 'readinessProbe', 'startupProbe']);
    const [ollama] = workloads('apps/llm-services/ollama.yaml');
    const container = ollama.spec.template.spec.containers.find((c: any) => c.name === 'ollama');
    for (const [name, probe] of Object.entries(expected)) {
      expect(resolved(container[name], container), name).toMatchObject(probe);
    }
  });

  it('seed 004: every A4CO service answers liveness and readiness on /health', () => {
    expect(seed004).toContain('Health checks (liveness + readiness)');
    expect(seed004).toContain('curl http://localhost:3001/health');
    const ingressPaths = { auth: 'auth', product: 'products', order: 'orders', payment: 'payments', inventory: 'inventory' };
    for (const [service, ingressPath] of Object.entries(ingressPaths)) {
      expect(seed004).toContain(`/api/v1/${ingressPath}/health`);
      const [deployment] = workloads(`apps/a4co/${service}-service.yaml`).filter((o) => o.kind === 'Deployment');
      const container = deployment.spec.template.spec.containers[0];
      for (const probe of ['livenessProbe', 'readinessProbe']) {
        expect(container[probe]?.httpGet?.path, `${service}-service ${probe}`).toBe('/health');
      }
    }
  });
});
