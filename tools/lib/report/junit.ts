// --format junit: JUnit XML for CI systems that show test results (GitLab, Jenkins, Azure, CircleCI).
// One <testsuite> per cluster, one <testcase> per rule, one <failure> per blocking finding; findings that do
// not block (warnings below --fail-on, infos, waived ones) are listed in the testcase's <system-out>.
import type { Finding, Report } from '../core/types.ts';
import { describeRef } from '../core/identity.ts';
import { formatPath } from '../core/yaml-source.ts';
import { isBlocking, type FailOn } from './fail-on.ts';

// XML 1.0 allows tab, LF, CR and the characters from U+0020 on, minus lone surrogates and U+FFFE/U+FFFF
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values keep their line breaks as character references, or XML parsers fold them into spaces. */
const attribute = (text: string) => escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

function describe(f: Finding): string {
  const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '(no source line)';
  const object = f.object ? `\n${describeRef(f.object)}${f.path ? ' ' + formatPath(f.path) : ''}` : '';
  const waived = f.suppressed ? `\nwaived until ${f.suppressed.expires}: ${f.suppressed.reason}` : '';
  const fix = f.fix && !f.suppressed ? `\nFix:\n${f.fix}` : '';
  return `${at}${object}\n${f.message}${waived}${fix}`;
}

export function formatJunit(report: Report, failOn: FailOn = 'error'): string {
  const ruleIds = [...new Set([...report.rules.map((r) => r.id), ...report.findings.map((f) => f.rule)])];
  const suites = report.clusters.map((cluster) => {
    const findings = report.findings.filter((f) => f.cluster === cluster.name);
    const cases = ruleIds.map((rule) => {
      const mine = findings.filter((f) => f.rule === rule);
      const failures = mine.filter((f) => isBlocking(f, failOn));
      const others = mine.filter((f) => !isBlocking(f, failOn));
      const open = `    <testcase name="${attribute(rule)}" classname="${attribute(`policy-check.${cluster.name}`)}" time="0"`;
      if (mine.length === 0) return `${open}/>`;
      const body = [
        ...failures.map((f) => `      <failure message="${attribute(f.message)}" type="${attribute(`${f.rule} (${f.severity})`)}">${escapeXml(describe(f))}</failure>`),
        ...(others.length ? [`      <system-out>${escapeXml(others.map((f) => `${f.severity}${f.suppressed ? ' (waived)' : ''}: ${describe(f)}`).join('\n\n'))}</system-out>`] : []),
      ];
      return [`${open}>`, ...body, '    </testcase>'].join('\n');
    });
    const failures = findings.filter((f) => ruleIds.includes(f.rule) && isBlocking(f, failOn)).length;
    return [
      `  <testsuite name="${attribute(cluster.name)}" tests="${ruleIds.length}" failures="${failures}" errors="0" skipped="0" time="0" timestamp="${attribute(report.generatedAt.replace(/\.\d+Z$/, ''))}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const tests = ruleIds.length * report.clusters.length;
  const failures = report.findings.filter((f) => isBlocking(f, failOn)).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attribute(report.tool.name)}" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
