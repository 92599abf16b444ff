// A rule's optionsSchema, as config validation and the generated validators identify it.
import crypto from 'node:crypto';

/** The schema of a rule without options: an empty object. */
export const NO_OPTIONS_SCHEMA = { type: 'object', additionalProperties: false };

/** A hash of the schema's JSON: the generated validator of a rule is used only while its schema is unchanged. */
export function optionsSchemaHash(schema: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}
