// The string and number formats the API server checks (for the schema walker, and ajv in tests). Formats it does not check are not validated.
import type { Ajv } from 'ajv';

/** resource.Quantity's own grammar (k8s.io/apimachinery/pkg/api/resource): 500m, 128Mi, 1.5, 1e3. */
export const QUANTITY = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))?$/;
/** The `duration` format of CRD schemas (kube-openapi strfmt: Go durations plus d and w): 1h30m, 10s, 2d. */
export const DURATION = /^(?:\s*[0-9]+(?:\.[0-9]+)?\s*(?:ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\s*)+$/;
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a value of each format looks like, for messages. */
export const FORMAT_EXAMPLES: Record<string, string> = {
  quantity: 'a quantity such as 500m, 128Mi or 2',
  duration: 'a duration such as 30s, 5m or 1h30m',
  'date-time': 'an RFC 3339 date-time such as 2025-01-31T12:00:00Z',
  date: 'a date such as 2025-01-31',
  byte: 'base64-encoded data',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  uuid: 'a UUID',
};

export const KNOWN_FORMATS = new Set(Object.keys(FORMAT_EXAMPLES));

export function addKubernetesFormats(ajv: Ajv): void {
  ajv.addFormat('quantity', QUANTITY);
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('date-time', DATE_TIME);
  ajv.addFormat('date', DATE);
  // encoding/json decodes []byte with StdEncoding, which skips line breaks
  ajv.addFormat('byte', { type: 'string', validate: (value: string) => BASE64.test(value.replace(/[\r\n]/g, '')) });
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  ajv.addFormat('uuid', UUID);
}
