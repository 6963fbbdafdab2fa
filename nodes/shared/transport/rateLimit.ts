import { sleep } from 'n8n-workflow';

import { rateLimitJitterMs } from './retry';

/** How long a pace learned at the end of a pause is kept without a further 429. */
export const PACE_HOLDS_MS = 60_000;
/** A learned pace runs this much faster than measured, so it finds out when the limit allows more. */
export const PACE_PROBE = 1.05;
/**
 * Successes a window needs before a pace is learned from it: a 429 after a
 * handful of requests (a burst from elsewhere on the key, a competing run)
 * says too little about the limit to slow every later request down to it.
 */
export const PACE_MIN_SAMPLE = 10;

interface Pace {
	/** Requests that may still start at once (what the bucket refilled during the pause). */
	burstLeft: number;
	intervalMs: number;
	/** Earliest start of the next paced request. */
	nextSlot: number;
	until: number;
}

/**
 * The rate-limit state one session's requests share: the 429 pause, and the
 * pace learned from it.
 *
 * A pause (Retry-After) holds back every request of the session. Its first
 * waiter resumes exactly when it ends, the earliest moment the server said
 * it would accept, so no capacity is left unused; the others add full jitter
 * (rateLimitJitterMs) so that competing runs do not come back in lockstep.
 *
 * When a pause ends, the session has measured how many requests the key
 * allows: the successes of the requests sent since the previous pause ended
 * (or since the first request), over the time from then to now. Rather than
 * sending everything again until the next 429 and waiting out another whole
 * Retry-After for the last few tokens, it starts what the pause refilled at
 * once and then one request per measured interval (a little faster, see
 * PACE_PROBE). A 429 is still obeyed as before and teaches a new pace; a pace
 * lapses PACE_HOLDS_MS after the pause it was learned from, and none is
 * learned from fewer than PACE_MIN_SAMPLE successes.
 */
export class RateLimit {
	/** Epoch ms before which no request starts (the last Retry-After). */
	pausedUntil = 0;
	/** When that pause was set: a 429 for an attempt sent before it belongs to the same burst. */
	pausedAt = 0;
	/** The pause (its pausedAt) whose exact end one request already resumes at; the others add jitter. */
	private resumeTakenFor = -1;
	/** Sending windows: a window ends when a pause begins. */
	private window = 0;
	private windowStart = 0;
	private succeededInWindow = 0;
	/** The window the last pause ended: when it began and how many of its requests succeeded. */
	private closed = { window: -1, start: 0, succeeded: 0 };
	private pace: Pace | undefined;

	/**
	 * Waits until a request may start: after any pause, in its paced slot.
	 * Returns the window the request starts in (for succeeded()), or
	 * undefined when waiting `wait` ms would pass the request's deadline
	 * (`stopsBefore(wait)`), so the caller fails instead.
	 *
	 * `limited`: the 429s this request has met (the width of its jitter).
	 */
	async acquire(limited: number, stopsBefore: (wait: number) => boolean): Promise<number | undefined> {
		for (;;) {
			const now = Date.now();
			if (!this.windowStart) this.windowStart = now;
			const paused = this.pausedUntil - now;
			if (paused > 0) {
				let wait = paused;
				if (this.resumeTakenFor === this.pausedAt) wait += rateLimitJitterMs(Math.max(limited, 1));
				else this.resumeTakenFor = this.pausedAt;
				if (stopsBefore(wait)) return undefined;
				await sleep(wait);
				// a pause that began meanwhile (another request met the limit) is waited out too
				continue;
			}
			const slot = this.slot(now);
			if (slot <= now) return this.window;
			if (stopsBefore(slot - now)) return undefined;
			const window = this.window;
			await sleep(slot - now);
			// a 429 meanwhile: its pause, and the pace learned from it, decide again
			if (this.window === window) return window;
		}
	}

	/** A request started in `window` succeeded. */
	succeeded(window: number): void {
		if (window === this.window) this.succeededInWindow++;
		else if (window === this.closed.window) this.closed.succeeded++;
	}

	/**
	 * A request sent at `sentAt` was answered 429 with Retry-After `retryAfterMs`:
	 * returns how long it has to wait. The first 429 of a burst starts the pause;
	 * one for a request sent before that pause began leaves it as it is, since
	 * moving it later would idle the session each time one more in-flight request
	 * comes back 429.
	 */
	limited(sentAt: number, retryAfterMs: number): number {
		const now = Date.now();
		if (!(this.pausedUntil > now && this.pausedAt >= sentAt)) {
			this.closed = { window: this.window, start: this.windowStart || now, succeeded: this.succeededInWindow };
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
			this.pausedAt = now;
			this.window++;
			this.windowStart = this.pausedUntil;
			this.succeededInWindow = 0;
			this.pace = undefined;
		}
		return this.pausedUntil - now;
	}

	/** When the next request may start (no pause in force): now, or its paced slot, which it takes. */
	private slot(now: number): number {
		if (!this.pace && this.closed.window === this.window - 1 && this.closed.succeeded >= PACE_MIN_SAMPLE) this.learn();
		const pace = this.pace;
		if (!pace || now >= pace.until) return now;
		if (pace.burstLeft > 0) {
			pace.burstLeft--;
			return now;
		}
		const slot = Math.max(now, pace.nextSlot);
		pace.nextSlot = slot + pace.intervalMs;
		return slot;
	}

	/** The pace measured over the window the last pause closed, and that pause. */
	private learn(): void {
		const measuredOver = Math.max(this.pausedUntil - this.closed.start, 1);
		const perMs = this.closed.succeeded / measuredOver;
		const pausedFor = this.pausedUntil - this.pausedAt;
		const intervalMs = 1 / (perMs * PACE_PROBE);
		this.pace = {
			burstLeft: Math.max(Math.floor(perMs * pausedFor), 1),
			intervalMs,
			// the burst takes what the pause refilled; the first paced request is one interval on
			nextSlot: this.pausedUntil + intervalMs,
			until: this.pausedUntil + PACE_HOLDS_MS,
		};
	}
}
