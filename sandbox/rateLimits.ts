/**
 * Rate limits per API key, as AgentMail enforces them (AGENTMAIL_API.md §7.3):
 * a token bucket of `capacity` requests refilled at `per_second`, shared by
 * every /v0 request made with the key. A request that finds no token is
 * answered 429 `rate_limit_exceeded` with Retry-After in whole seconds (at
 * least 1, as an HTTP header in seconds can say no less), before it is routed.
 * Off until `POST /_sandbox/rate-limit` sets it; a reset turns it off.
 */
import { apiError } from './errors';

export interface RateLimitSpec {
	capacity: number;
	per_second: number;
}

interface Bucket {
	tokens: number;
	at: number;
}

export class RateLimits {
	private spec: RateLimitSpec | undefined;
	private readonly buckets = new Map<string, Bucket>();
	/** 429s answered since the limit was set. */
	limited = 0;

	get(): (RateLimitSpec & { limited: number }) | null {
		return this.spec ? { ...this.spec, limited: this.limited } : null;
	}

	/** Sets the limit (every key's bucket starts full), or turns it off with null. */
	set(spec: RateLimitSpec | null): void {
		this.spec = spec ?? undefined;
		this.buckets.clear();
		this.limited = 0;
	}

	/** Takes a token of `apiKey`'s bucket, or throws the 429. */
	take(apiKey: string): void {
		const spec = this.spec;
		if (!spec) return;
		const now = Date.now();
		const bucket = this.buckets.get(apiKey) ?? { tokens: spec.capacity, at: now };
		bucket.tokens = Math.min(spec.capacity, bucket.tokens + ((now - bucket.at) * spec.per_second) / 1000);
		bucket.at = now;
		this.buckets.set(apiKey, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return;
		}
		this.limited++;
		const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / spec.per_second));
		throw apiError(429, `Rate limit exceeded: ${spec.capacity} requests, ${spec.per_second} per second (AgentMail sandbox)`, {
			headers: { 'retry-after': String(retryAfter) },
		});
	}
}
