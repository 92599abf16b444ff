// Hands a check's problems to a rule's report(), unchanged: every API validation rule reports the same way.
import type { ReportDescriptor } from '../core/rule.ts';
import type { ApiProblem } from './problem.ts';

export function reportAll(problems: ApiProblem[], report: (descriptor: ReportDescriptor) => void): void {
  for (const p of problems) report({ object: p.object, path: p.path, messageId: p.messageId, data: p.data, key: p.key, related: p.related });
}
