// One sentence per schema problem, naming the field as the manifest writes it.
import { formatPath } from '../core/yaml-source.ts';
import type { FieldPath } from '../core/types.ts';
import type { SchemaProblem } from './schema-problems.ts';
import { FORMAT_EXAMPLES } from './formats.ts';
import { nearestName } from './did-you-mean.ts';

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean (true or false)',
  object: 'a map', array: 'a list', null: 'null',
};

function where(path: FieldPath): string {
  return path.length === 0 ? 'the object' : formatPath(path);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function last(path: FieldPath): string {
  return path.length === 0 ? '' : formatPath(path.slice(-1));
}

export function problemMessage(problem: SchemaProblem): string {
  switch (problem.kind) {
    case 'unknown-field': {
      const suggestion = nearestName(problem.field, problem.allowed);
      return `unknown field "${problem.field}" in ${where(problem.path.slice(0, -1))}` + (suggestion ? `; did you mean "${suggestion}"?` : '');
    }
    case 'type':
      return `${where(problem.path)} must be ${orList(problem.expected.filter((t) => t !== 'null').map((t) => TYPE_NAMES[t] ?? t))}, not ${describeValue(problem.value)}`;
    case 'enum':
      return `${where(problem.path)} must be one of ${problem.allowed.map(String).join(', ')}, not ${describeValue(problem.value)}`;
    case 'required':
      return `${where(problem.path)} is missing the required field "${problem.field}"`;
    case 'format':
      return `${where(problem.path)} must be ${FORMAT_EXAMPLES[problem.format] ?? `in the ${problem.format} format`}, not ${describeValue(problem.value)}`;
    case 'duplicate-key': {
      const list = problem.path.slice(0, -1);
      const entries = Object.entries(problem.key);
      const isSet = entries.length === 1 && entries[0][0] === 'value';
      const key = isSet ? JSON.stringify(entries[0][1]) : entries.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');
      const keyedBy = isSet ? 'is a set' : `is keyed by ${entries.map(([k]) => k).join(' and ')}`;
      return `${where(problem.path)} repeats ${key} of ${last(list)}[${problem.firstIndex}]; this list ${keyedBy}, and the API server (server-side apply) rejects duplicate keys`;
    }
    case 'constraint':
      return `${where(problem.path)} ${problem.message}`;
  }
}
