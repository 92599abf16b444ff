// npm run verify:apiserver as a user meets it when it cannot run: exit 2 with one message, never a stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVerify } from './run-verify.ts';

describe('verify:apiserver user errors (subprocess)', () => {
  it('names the missing binaries and the command that builds them (exit 2) with --no-build', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cache-'));
    const run = runVerify(['--no-build', '--cache', cache]);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `verify-apiserver: etcd and kube-apiserver are not built in ${cache}/v1.33.13 (Kubernetes v1.33.13, etcd v3.5.21): ` +
        'run `npm run verify:apiserver -- --build-only` once (a cold build takes about 25 minutes on 2 cores; it is cached after)',
    );
    expect(run.code).toBe(2);
  });

  it('reads the cache folder from VERIFY_APISERVER_CACHE', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-cache-'));
    fs.mkdirSync(path.join(cache, 'v1.33.13'));
    fs.writeFileSync(path.join(cache, 'v1.33.13', 'etcd'), '#!/bin/sh\n', { mode: 0o755 });
    const run = runVerify(['--no-build'], { VERIFY_APISERVER_CACHE: cache });
    expect(run.stderr).toContain(`verify-apiserver: kube-apiserver is not built in ${cache}/v1.33.13 (`);
    expect(run.code).toBe(2);
  });

  it('refuses an unknown option with the usage (exit 2)', () => {
    const run = runVerify(['--clusters', 'k3s']);
    expect(run.stderr).toMatch(/^verify-apiserver: Unknown option '--clusters'/);
    expect(run.stderr).toContain('Usage: npm run verify:apiserver -- [options]');
    expect(run.code).toBe(2);
  });

  it('--help prints the usage and exits 0', () => {
    const run = runVerify(['--help']);
    expect(run.stdout).toContain('--no-build         do not build missing binaries: exit 2 and say how to build them');
    expect(run.code).toBe(0);
  });
});
