// The real kube-apiserver and etcd, when they are already built (npm run verify:apiserver -- --build-only): a fixture
// cluster the server must refuse in four ways, and this repository's k3s cluster, which it must accept whole.
// Without the binaries the suite is skipped and says so; it never builds them, so it never makes .ci/run slow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtBinaries, REPO_ROOT, runVerify } from './run-verify.ts';

const { binaries, built } = builtBinaries();
// an empty chart cache: the Helm charts are skipped whatever this machine has cached, so the counts are fixed
const noCharts = () => ['--offline', '--chart-cache', fs.mkdtempSync(path.join(os.tmpdir(), 'verify-no-charts-'))];
if (!built) {
  console.log(`verify-apiserver integration skipped: kube-apiserver and etcd are not built in ${binaries.dir}; \`npm run verify:apiserver -- --build-only\` builds them (about 25 minutes cold)`);
}

describe.skipIf(!built)('verify:apiserver against the real kube-apiserver', () => {
  it('refuses a port out of range, an unknown field, a missing namespace and a pod Pod Security forbids (exit 1)', () => {
    const run = runVerify(['--root', path.join(REPO_ROOT, 'test/apiserver/fixtures/rejected'), ...noCharts()]);
    expect(run.stdout.split('\n').slice(3)).toEqual([
      'cluster  objects  accepted  rejected  warned  pods  accepted  rejected  warned',
      'demo           6         3         3       1     1         0         1       0',
      'demo: 0 CRDs installed from schemas/crds',
      '',
      'rejected (4):',
      '  demo  ConfigMap demo/typo: failed to create typed patch object (demo/typo; /v1, Kind=ConfigMap): .datas: field not declared in schema',
      '  demo  ConfigMap nowhere/orphan: namespaces "nowhere" not found',
      '  demo  Service demo/web: Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '  demo  Pod demo/web (template of Deployment demo/web): pods "web" is forbidden: violates PodSecurity "restricted:v1.33": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      '',
      'warnings (1):',
      '  demo  Deployment demo/web: would violate PodSecurity "restricted:v1.33": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
      '',
    ]);
    expect(run.code).toBe(1);
  }, 90_000);

  it("accepts every object and pod of this repository's k3s cluster (exit 0)", () => {
    const run = runVerify(['--cluster', 'k3s', ...noCharts()]);
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('cluster '));
    expect(lines.slice(header, header + 3)).toEqual([
      'cluster  objects  accepted  rejected  warned  pods  accepted  rejected  warned',
      'k3s           83        83         0       0     6         6         0       0',
      "k3s: 8 CRDs installed from schemas/crds; namespace the reconciler's install creates: flux-system",
    ]);
    expect(run.code).toBe(0);
  }, 90_000);
});
