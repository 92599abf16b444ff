// Bounded retries for GitHub API calls: 5xx and network failures back off exponentially;
// secondary rate limits (403/429 with retry-after, or GitHub's "secondary rate limit"
// message) and an exhausted primary limit wait as long as GitHub asks, if that is short
// enough. Anything else fails at once with GitHub's own message.

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** First backoff for 5xx; doubles each attempt. */
  baseDelayMs: number;
  /** Longest single wait we accept; a rate limit asking for more gives up at once. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** Told about each retry, for a log line. */
  onRetry?: (info: { operation: string; attempt: number; delayMs: number; reason: string }) => void;
  /** Wall clock, for x-ratelimit-reset. */
  now?: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The shape of @octokit/request-error's RequestError that we rely on. */
interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export class GitHubGiveUpError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'GitHubGiveUpError';
  }
}

type Decision = { retry: true; delayMs: number; reason: string } | { retry: false; reason: string };

export function classifyFailure(error: unknown, attempt: number, policy: RetryPolicy): Decision {
  const e = error as HttpError;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const headers = e?.response?.headers ?? {};
  const apiMessage = errorMessage(error);
  const retryAfter = numberHeader(headers['retry-after']);
  const remaining = numberHeader(headers['x-ratelimit-remaining']);
  const reset = numberHeader(headers['x-ratelimit-reset']);
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);

  const secondary = /secondary rate limit|abuse detection/i.test(apiMessage);
  if (status === 429 || (status === 403 && (secondary || retryAfter !== undefined || remaining === 0))) {
    let delayMs: number;
    let what: string;
    if (retryAfter !== undefined) {
      delayMs = retryAfter * 1000;
      what = `rate limited (HTTP ${status}), GitHub asks to wait ${retryAfter}s`;
    } else if (remaining === 0 && reset !== undefined) {
      delayMs = Math.max(0, reset * 1000 - (policy.now ?? Date.now)()) + 1000;
      what = `primary rate limit exhausted (HTTP ${status}) until ${new Date(reset * 1000).toISOString()}`;
    } else {
      // GitHub's guidance for a secondary limit without retry-after: wait at least a minute.
      delayMs = Math.max(backoff, Math.min(60_000, policy.maxDelayMs));
      what = `secondary rate limit (HTTP ${status})`;
    }
    if (delayMs > policy.maxDelayMs) return { retry: false, reason: `${what}, longer than the ${policy.maxDelayMs / 1000}s we wait` };
    return { retry: true, delayMs, reason: what };
  }
  if (status === undefined || status >= 500) {
    return { retry: true, delayMs: Math.min(backoff, policy.maxDelayMs), reason: status ? `HTTP ${status}` : 'network error' };
  }
  return { retry: false, reason: `HTTP ${status}` };
}

export async function withRetry<T>(operation: string, call: () => Promise<T>, policy: RetryPolicy = defaultRetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const decision = classifyFailure(error, attempt, policy);
      const status = (error as HttpError)?.status;
      if (!decision.retry || attempt >= policy.maxAttempts) {
        const tries = attempt === 1 ? '' : ` after ${attempt} attempts`;
        throw new GitHubGiveUpError(`GitHub API: ${operation} failed${tries}: ${decision.reason}: ${errorMessage(error)}`, status, attempt);
      }
      policy.onRetry?.({ operation, attempt, delayMs: decision.delayMs, reason: decision.reason });
      await policy.sleep(decision.delayMs);
    }
  }
}

/** GitHub's own message (response body), else the error's. */
export function errorMessage(error: unknown): string {
  const data = (error as HttpError)?.response?.data as { message?: unknown; errors?: unknown } | undefined;
  if (data && typeof data.message === 'string') {
    // 422 answers carry the useful part ("body is too long ...") in errors[].
    const details = Array.isArray(data.errors)
      ? data.errors.map((e) => (typeof e === 'string' ? e : ((e as { message?: string; code?: string })?.message ?? (e as { code?: string })?.code))).filter(Boolean)
      : [];
    return details.length > 0 ? `${data.message} (${details.join('; ')})` : data.message;
  }
  const message = (error as HttpError)?.message;
  return typeof message === 'string' ? message : String(error);
}

function numberHeader(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
