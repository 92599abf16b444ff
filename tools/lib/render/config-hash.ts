// The configuration a report was checked with, as a hash: merge refuses to join shards that ran with different configs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** sha256 of the config file's bytes ("" when the default config file is absent); loadConfig has already validated it. */
export function configHash(root: string, configPath: string | undefined): string {
  const file = path.resolve(root, configPath ?? 'policies/config.yaml');
  let bytes: Buffer;
  try {
    bytes = fs.statSync(file).isFile() ? fs.readFileSync(file) : Buffer.alloc(0);
  } catch {
    bytes = Buffer.alloc(0);
  }
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
