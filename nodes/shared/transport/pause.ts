import { sleep } from 'n8n-workflow';

import { rateLimitJitterMs } from './retry';
import type { AgentMailSession } from './session';

/**
 * Holds a request back while its session is paused by a 429, and returns
 * once no pause is in force. The first request to wait out a pause resumes
 * exactly when it ends (Retry-After: the earliest moment the server said
 * it would accept), so no capacity is left unused; every other waiter
 * resumes after full jitter on top (rateLimitJitterMs, the window growing
 * with the 429s that request has seen), so the session's requests, and
 * competing runs, do not return in lockstep. After every sleep the pause is
 * checked again: one that began meanwhile (another request met the limit)
 * is waited out too, instead of sending into it.
 *
 * `stopsBefore(wait)` is true when waiting `wait` ms would pass the
 * request's deadline: then it returns false and the caller fails.
 */
export async function waitOutPause(
	session: AgentMailSession,
	limited: number,
	stopsBefore: (wait: number) => boolean,
): Promise<boolean> {
	for (;;) {
		const paused = session.pausedUntil - Date.now();
		if (paused <= 0) return true;
		let wait = paused;
		if (session.resumeTakenFor === session.pausedAt) {
			wait += rateLimitJitterMs(Math.max(limited, 1));
		} else {
			session.resumeTakenFor = session.pausedAt;
		}
		if (stopsBefore(wait)) return false;
		await sleep(wait);
	}
}
