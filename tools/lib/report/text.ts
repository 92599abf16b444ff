// Text report for people: grouped by cluster and source file; colour only when asked (a TTY).
import type { Finding, Report, Severity } from '../core/types.ts';
import { describeRef } from '../core/rule.ts';
import { formatPath } from '../core/yaml-source.ts';
import { formatRenderedDiff, outputStatus } from './diff-text.ts';
import { combinedFixLines, componentFixesByFinding, componentPointer } from './combined-fixes.ts';

const COLOURS = { red: 31, yellow: 33, blue: 34, grey: 90, bold: 1, green: 32, cyan: 36 } as const;

/** `diff`: print each cluster's rendered diff (from --base) before the findings. `quiet`: only clusters with findings, no notes. */
export function formatText(report: Report, options: { colour: boolean; diff?: boolean; quiet?: boolean }): string {
  const paint = (colour: keyof typeof COLOURS, text: string) => (options.colour ? `\x1b[${COLOURS[colour]}m${text}\x1b[0m` : text);
  const severityLabel = (s: Severity, suppressed: boolean) =>
    suppressed ? paint('grey', 'waived ') : s === 'error' ? paint('red', 'error  ') : s === 'warning' ? paint('yellow', 'warning') : paint('blue', 'info   ');
  const lines: string[] = [];
  const diff = options.diff ? formatRenderedDiff(report, paint) : '';
  const componentFixes = componentFixesByFinding(report.fixes ?? []);
  for (const cluster of report.clusters) {
    const findings = report.findings.filter((f) => f.cluster === cluster.name);
    if (options.quiet && findings.length === 0) continue;
    const engines = [...new Set(cluster.entryPoints.map((e) => e.engine))].join('+');
    const cached = cluster.entryPoints.filter((e) => e.fromCache).length;
    const fromCache = cached === 0 ? '' : cached === cluster.entryPoints.length ? ', all from the render cache' : `, ${cached} from the render cache`;
    lines.push(paint('bold', `cluster ${cluster.name}`) + paint('grey', ` (${engines}; ${cluster.entryPoints.length} entry point${cluster.entryPoints.length === 1 ? '' : 's'}${fromCache}, ${cluster.objectCount} objects)`));
    if (cluster.diff) lines.push(`  ${paint(cluster.diff.status === 'not-compared' ? 'yellow' : 'grey', outputStatus(cluster.diff))}`);
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const file = f.location?.file ?? '(no source file)';
      byFile.set(file, [...(byFile.get(file) ?? []), f]);
    }
    for (const [file, list] of [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${paint('bold', file)}`);
      for (const f of list.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0))) {
        const position = f.location ? `${f.location.line}:${f.location.column}` : '-';
        const status = (f as any).status === 'unchanged' ? paint('grey', ' (unchanged)') : (f as any).status === 'new' ? paint('bold', ' (new)') : '';
        const [firstLine, ...moreLines] = f.message.split('\n');
        lines.push(`    ${position.padEnd(8)} ${severityLabel(f.severity, !!f.suppressed)}  ${paint('grey', f.rule.padEnd(32))} ${firstLine}${status}`);
        for (const more of moreLines) lines.push(`    ${''.padEnd(8)}          ${more}`);
        if (f.object) lines.push(`    ${''.padEnd(8)}          ${paint('grey', `${describeRef(f.object)}${f.path ? ' ' + formatPath(f.path) : ''}`)}`);
        for (const r of f.related ?? []) {
          const at = r.location ? ` (${r.location.file}:${r.location.line})` : '';
          lines.push(`    ${''.padEnd(8)}          ${paint('grey', `↳ ${r.message}${at}`)}`);
        }
        if (f.suppressed) lines.push(`    ${''.padEnd(8)}          ${paint('grey', `waived until ${f.suppressed.expires}: ${f.suppressed.reason}`)}`);
        const byComponent = componentFixes.get(f.fingerprint);
        if (byComponent && !f.suppressed) lines.push(`    ${''.padEnd(8)}          ${paint('green', componentPointer(byComponent))}`);
        else if (f.fix && !f.suppressed) {
          for (const fixLine of f.fix.split('\n')) lines.push(`    ${''.padEnd(8)}          ${paint('green', fixLine)}`);
        }
      }
    }
    for (const line of combinedFixLines(report.fixes ?? [], cluster.name)) lines.push(paint('green', line));
    for (const h of options.quiet ? [] : (cluster.helmReleases ?? [])) {
      const at = h.declaredIn ? ` (${h.declaredIn.file}:${h.declaredIn.line})` : '';
      lines.push(`  ${paint('grey', `helm ${h.name}: ${h.chart}, ${h.objectCount} object${h.objectCount === 1 ? '' : 's'}${at}`)}`);
    }
    for (const s of cluster.skipped) {
      const at = s.declaredIn ? ` (${s.declaredIn.file}:${s.declaredIn.line})` : '';
      lines.push(`  ${paint('grey', `skipped ${s.name}: ${s.reason}${at}`)}`);
    }
    if (findings.length === 0) lines.push(`  ${paint('green', 'no findings')}`);
    lines.push('');
  }
  for (const f of report.fixed ?? []) {
    lines.push(paint('green', `fixed   ${f.cluster}  ${f.rule}  ${f.message}`));
  }
  lines.push(summaryLine(report, paint));
  return diff + lines.join('\n') + '\n';
}

export function summaryLine(report: Report, paint: (c: keyof typeof COLOURS, t: string) => string = (_c, t) => t): string {
  const s = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.suppressed) parts.push(`${s.suppressed} waived`);
  if (s.new !== undefined) parts.push(`${s.new} new`, `${s.fixed ?? 0} fixed`);
  const text = `${parts.join(', ')} in ${plural(report.clusters.length, 'cluster')}`;
  return s.blocking > 0 ? paint('red', `✖ ${text}`) : paint('green', `✔ ${text}`);
}
