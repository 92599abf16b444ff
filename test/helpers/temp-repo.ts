// A throwaway repository written from a map of relative path -> text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function writeTempRepo(files: Record<string, string>, prefix = 'repo-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
