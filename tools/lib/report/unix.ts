// --format unix, as ESLint's: `path:line:col: message [Severity/rule]`, one line per mistake (grep, vim's quickfix,
// Emacs compile mode, the problem matcher in .github/problem-matchers/policy-check.json).
import type { Report } from '../core/types.ts';
import { findingLines, problemCount } from './finding-lines.ts';

export function formatUnix(report: Report): string {
  const lines = findingLines(report);
  return lines.map((l) => `${l.file}:${l.line}:${l.column}: ${l.message} [${l.severityWord}/${l.rule}]\n`).join('') + problemCount(lines);
}
