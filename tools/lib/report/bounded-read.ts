// Reading an untrusted file with a size limit checked before anything is parsed: the PR bot
// reads an artifact that the pull request's own code wrote.
import fs from 'node:fs';

/** The largest report the PR bot accepts. A real report of a large fleet is a few MiB; the comment keeps 64 KiB. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;

export type BoundedRead = { ok: true; text: string } | { ok: false; message: string };

const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`);

/** The file's text, or why it was refused: not a regular file, or larger than `limit` (never read past limit + 1 bytes). */
export function readBounded(file: string, limit = MAX_REPORT_BYTES): BoundedRead {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: `refusing ${file}: it is not a regular file` };
    if (stat.size > limit) return { ok: false, message: `refusing ${file}: it is ${mib(stat.size)}, more than the ${mib(limit)} a policy-check report may be` };
    // the file may grow after fstat: read at most one byte past the limit to notice
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, length)) > 0; ) length += n;
    if (length > limit) return { ok: false, message: `refusing ${file}: it grew past the ${mib(limit)} a policy-check report may be while it was read` };
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}
