// One set of rules for every waiver, wherever it is written (policies/config.yaml or an object's
// annotation): a rule id, a reason a reviewer can judge, a real calendar date, and optionally a
// maximum lifetime, so that no waiver can be written to last forever.

/** The shortest reason accepted; schemas/config.schema.json states the same minLength. */
export const MIN_WAIVER_REASON_LENGTH = 10;

const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Limits the config may put on every waiver (`waiverPolicy` in policies/config.yaml). */
export interface WaiverPolicy {
  /** A waiver may expire at most this many days after today. */
  maxLifetimeDays?: number;
}

/**
 * A YYYY-MM-DD date that exists on the calendar, as midnight UTC; undefined otherwise.
 * Date.parse is not enough: it reads 2026-02-30 as 2026-03-02 and some engines accept 2020-13-45.
 */
export function parseCalendarDate(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

/** Whole days from `today` (its UTC day) until the expiry day. */
function daysUntil(expires: Date, today: Date): number {
  const todayMidnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((expires.getTime() - todayMidnight) / DAY_MS);
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? 'nothing');

export interface WaiverFields {
  rule?: unknown;
  reason?: unknown;
  expires?: unknown;
}

export interface WaiverProblem {
  /** The field to point at. */
  field: 'rule' | 'reason' | 'expires';
  message: string;
}

/**
 * What is wrong with a waiver, or undefined when it is acceptable.
 * `today` is only used for the lifetime limit; an expired waiver is valid (and reported as expired).
 */
export function waiverProblem(waiver: WaiverFields, policy: WaiverPolicy = {}, today?: Date): WaiverProblem | undefined {
  if (typeof waiver.rule !== 'string' || !RULE_ID.test(waiver.rule)) return { field: 'rule', message: `rule must be a rule id (area/name), got ${shown(waiver.rule)}` };
  if (typeof waiver.reason !== 'string' || waiver.reason.trim().length < MIN_WAIVER_REASON_LENGTH) {
    return { field: 'reason', message: `reason must say why in at least ${MIN_WAIVER_REASON_LENGTH} characters, got ${shown(waiver.reason)}` };
  }
  const expires = parseCalendarDate(waiver.expires);
  if (!expires) return { field: 'expires', message: `expires must be a real calendar date as YYYY-MM-DD, got ${shown(waiver.expires)}` };
  if (policy.maxLifetimeDays !== undefined && today) {
    const days = daysUntil(expires, today);
    if (days > policy.maxLifetimeDays) {
      return {
        field: 'expires',
        message: `expires ${waiver.expires} is ${days} days after ${today.toISOString().slice(0, 10)}; waiverPolicy.maxLifetimeDays allows at most ${policy.maxLifetimeDays}`,
      };
    }
  }
  return undefined;
}
