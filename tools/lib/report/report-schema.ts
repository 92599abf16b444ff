// Validates a json report against the published schema (schemas/report.schema.json) before
// anything trusts it: in the comment workflow the report is an artifact produced by PR code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Report } from '../core/types.ts';

export const REPORT_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/report.schema.json', import.meta.url));

export type ReportValidation = { ok: true; report: Report } | { ok: false; errors: string[] };

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export function compileReportValidator(schemaPath: string = REPORT_SCHEMA_PATH): (data: unknown) => ReportValidation {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema?: string };
  const dialect = schema.$schema ?? '';
  const ajv: Ajv = dialect.includes('2020-12')
    ? new Ajv2020({ allErrors: true, strict: false })
    : dialect.includes('2019-09')
      ? new Ajv2019({ allErrors: true, strict: false })
      : new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate: ValidateFunction = ajv.compile(schema);
  return (data) => (validate(data) ? { ok: true, report: data as Report } : { ok: false, errors: describeErrors(validate.errors) });
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
}
