// --format compact, as ESLint's: `path: line L, col C, Severity - message (rule)`, one line per mistake.
import type { Report } from '../core/types.ts';
import { findingLines, problemCount } from './finding-lines.ts';

export function formatCompact(report: Report): string {
  const lines = findingLines(report);
  return lines.map((l) => `${l.file}: line ${l.line}, col ${l.column}, ${l.severityWord} - ${l.message} (${l.rule})\n`).join('') + problemCount(lines);
}
