import type { IHttpRequestMethods } from 'n8n-workflow';

/** Statuses after which the same request may succeed (AGENTMAIL_API.md §7.3). */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Methods that do the same thing however often they are repeated. */
const REPEATABLE_METHODS = new Set<IHttpRequestMethods>(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE']);

export const MAX_ATTEMPTS = 3;
const MAX_DELAY_MS = 30_000;
const BASE_DELAY_MS = 500;

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
