import type { IHttpRequestMethods } from 'n8n-workflow';

/** Statuses after which the same request may succeed (AGENTMAIL_API.md §7.3). */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Methods that do the same thing however often they are repeated. */
const REPEATABLE_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE']);

/** Attempts for a 5xx, 408 or a dropped connection (429s are retried within a time budget instead). */
export const MAX_ATTEMPTS = 3;
const MAX_DELAY_MS = 30_000;
const BASE_DELAY_MS = 500;

/** Jitter window after the first 429 a request sees; it doubles with each further 429, up to the cap. */
const RATE_LIMIT_JITTER_BASE_MS = 100;
const RATE_LIMIT_JITTER_CAP_MS = 5_000;

/**
 * A POST repeats safely only when AgentMail deduplicates it: sends carry an
 * Idempotency-Key, creates a client_id. Anything else is tried once.
 */
export function isSafeToRepeat(method: IHttpRequestMethods, idempotent: boolean): boolean {
	return idempotent || REPEATABLE_METHODS.has(method);
}

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUSES.has(status);
}

/** Delay before attempt number `attempt + 1`: Retry-After when the server gave one, else exponential. */
export function retryDelayMs(attempt: number, retryAfter: unknown, now = Date.now()): number {
	const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
	if (typeof header === 'string' || typeof header === 'number') {
		const text = String(header).trim();
		if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Number(text) * 1000, MAX_DELAY_MS);
		const date = Date.parse(text);
		if (!Number.isNaN(date)) return Math.min(Math.max(date - now, 0), MAX_DELAY_MS);
	}
	return Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
}

/**
 * Full jitter added on top of Retry-After after the `limited`-th 429 of one
 * request: uniform in [0, window), the window doubling per 429. A lone run
 * loses little (the first window is 100 ms); competing runs that keep
 * meeting the limit spread out instead of retrying in lockstep.
 */
export function rateLimitJitterMs(limited: number, random: () => number = Math.random): number {
	const window = Math.min(RATE_LIMIT_JITTER_BASE_MS * 2 ** Math.max(limited - 1, 0), RATE_LIMIT_JITTER_CAP_MS);
	return Math.floor(random() * window);
}
