import { PACE_MIN_SAMPLE, PACE_PROBE, RateLimit } from '../../nodes/shared/transport/rateLimit';
import { RateLimits } from '../../sandbox/rateLimits';

// A virtual clock (jest's modern fake timers fake both setTimeout and Date.now),
// so "exactly when the pause ends" is checked to the millisecond without
// depending on how busy the machine is.
beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

/** A limit paused for `pausedForMs` from now (as after a 429 for a request sent just before). */
function paused(pausedForMs: number): RateLimit {
	const limit = new RateLimit();
	limit.limited(Date.now() - 1, pausedForMs);
	return limit;
}

const never = () => false;

/** `count` requests acquiring at once; when each started, in order, once `advanceMs` of virtual time has run. */
async function startTimes(limit: RateLimit, count: number, limited: number, advanceMs: number): Promise<number[]> {
	const starts: number[] = [];
	const all = Promise.all(
		Array.from({ length: count }, async () => {
			await limit.acquire(limited, never);
			starts.push(Date.now());
		}),
	);
	await jest.advanceTimersByTimeAsync(advanceMs);
	await all;
	return starts.sort((a, b) => a - b);
}

/** The sandbox's per-key token bucket (`capacity`, refilled at `perSecond`): true when a request may go on, false for its 429. */
function bucket(capacity: number, perSecond: number) {
	const limits = new RateLimits();
	limits.set({ capacity, per_second: perSecond });
	return () => {
		try {
			limits.take('key');
			return true;
		} catch {
			return false;
		}
	};
}

/**
 * `count` requests through `limit`, `concurrency` at a time, against `admit`
 * (true: 200, false: 429 with Retry-After 1 s), each answered `latencyMs`
 * after it starts. Returns when each request was admitted, and the 429s.
 */
async function drive(limit: RateLimit, admit: () => boolean, count: number, concurrency: number, latencyMs = 5) {
	const admitted: number[] = [];
	let limitedCount = 0;
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			let limited = 0;
			for (;;) {
				const window = await limit.acquire(limited, never);
				const sentAt = Date.now();
				await new Promise((resolve) => setTimeout(resolve, latencyMs));
				if (admit()) {
					admitted.push(Date.now());
					limit.succeeded(window!);
					break;
				}
				limitedCount++;
				limited++;
				limit.limited(sentAt, 1000);
			}
		}
	};
	const done = Promise.all(Array.from({ length: concurrency }, worker));
	await jest.advanceTimersByTimeAsync(120_000);
	await done;
	return { admitted, limited: limitedCount };
}

describe('RateLimit: the shared 429 pause', () => {
	test('no pause: acquire returns at once, without a timer', async () => {
		const limit = new RateLimit();
		await expect(limit.acquire(0, never)).resolves.toBe(0);
		expect(jest.getTimerCount()).toBe(0);
	});

	test('the first waiter resumes when the pause ends, the others with jitter on top (never earlier)', async () => {
		const limit = paused(150);
		// limited = 6: a 3.2 s jitter window, so the other waiters land well after the first
		const [first, ...others] = await startTimes(limit, 8, 6, 10_000);
		expect(first).toBe(limit.pausedUntil);
		for (const at of others) expect(at).toBeGreaterThanOrEqual(limit.pausedUntil);
		// 7 draws from [0, 3200) ms all below 60 ms has a chance of about 1e-10
		expect(others.some((at) => at - limit.pausedUntil > 60)).toBe(true);
	});

	test('a pause that begins while waiting is waited out too; its first waiter is again exact', async () => {
		const limit = paused(100);
		let resumed = 0;
		const waiting = limit.acquire(1, never).then(() => (resumed = Date.now()));
		await jest.advanceTimersByTimeAsync(50);
		// another request, sent just now, met the limit meanwhile
		limit.limited(Date.now(), 250);
		await jest.advanceTimersByTimeAsync(100);
		expect(resumed).toBe(0); // the first sleep ended inside the new pause: it did not send
		await jest.advanceTimersByTimeAsync(1_000);
		await waiting;
		expect(resumed).toBe(limit.pausedUntil);
	});

	test('a 429 for a request sent before the pause began leaves the pause as it is', () => {
		const limit = new RateLimit();
		const sentAt = Date.now();
		jest.advanceTimersByTime(10);
		expect(limit.limited(sentAt, 1000)).toBe(1000);
		const until = limit.pausedUntil;
		jest.advanceTimersByTime(30);
		expect(limit.limited(sentAt, 1000)).toBe(970);
		expect(limit.pausedUntil).toBe(until);
	});

	test('a wait past the deadline is not started', async () => {
		const limit = paused(5_000);
		const waits: number[] = [];
		await expect(
			limit.acquire(1, (wait) => {
				waits.push(wait);
				return true;
			}),
		).resolves.toBeUndefined();
		expect(jest.getTimerCount()).toBe(0);
		expect(waits[0]).toBe(5_000);
	});
});

describe('RateLimit: the pace learned from a pause', () => {
	test('after the pause: what it refilled at once, then one request per measured interval', async () => {
		const limit = new RateLimit();
		const start = Date.now();
		// 20 requests succeed, then a 429 with Retry-After 1 s, 1 s after the first request
		for (let index = 0; index < 20; index++) limit.succeeded((await limit.acquire(0, never))!);
		const sentAt = Date.now();
		jest.advanceTimersByTime(5);
		limit.limited(sentAt, 995);
		expect(limit.pausedUntil).toBe(start + 1000);
		// the requests come when the pause ends (no jitter to wait out)
		jest.advanceTimersByTime(995);
		const starts = await startTimes(limit, 25, 0, 5_000);
		const end = start + 1000;
		// 20 successes over 1 s: 20/s, paced at 20/s × PACE_PROBE; the pause of 995 ms refilled 19
		const interval = 1000 / (20 * PACE_PROBE);
		expect(starts.slice(0, 19)).toEqual(Array(19).fill(end));
		starts.slice(19).forEach((at, index) => {
			expect(at - end).toBeGreaterThanOrEqual(Math.floor((index + 1) * interval));
			expect(at - end).toBeLessThanOrEqual(Math.ceil((index + 1) * interval) + 1);
		});
	});

	test(`no pace from fewer than ${PACE_MIN_SAMPLE} successes: after the pause everything starts at once`, async () => {
		const limit = new RateLimit();
		for (let index = 0; index < PACE_MIN_SAMPLE - 1; index++) limit.succeeded((await limit.acquire(0, never))!);
		limit.limited(Date.now() - 1, 1000);
		const starts = await startTimes(limit, 5, 0, 5_000);
		// the first exactly at the end of the pause, the others within the first jitter window (100 ms)
		expect(Math.min(...starts)).toBe(limit.pausedUntil);
		expect(Math.max(...starts)).toBeLessThan(limit.pausedUntil + 100);
	});

	test('a 429 during a paced wait: the request waits out the new pause instead of keeping its slot', async () => {
		const limit = new RateLimit();
		for (let index = 0; index < 20; index++) limit.succeeded((await limit.acquire(0, never))!);
		limit.limited(Date.now() - 1, 1000);
		jest.advanceTimersByTime(1000);
		for (let index = 0; index < 20; index++) await limit.acquire(0, never); // the burst
		let started = 0;
		const waiting = limit.acquire(0, never).then(() => (started = Date.now()));
		await jest.advanceTimersByTimeAsync(10);
		limit.limited(Date.now(), 1000);
		await jest.advanceTimersByTimeAsync(2_000);
		await waiting;
		expect(started).toBe(limit.pausedUntil);
	});

	test('against a token bucket (20, 20/s): 200 requests near the bucket’s minimum, with few 429s', async () => {
		const limit = new RateLimit();
		const start = Date.now();
		const { admitted, limited } = await drive(limit, bucket(20, 20), 200, 50);
		expect(admitted).toHaveLength(200);
		const took = Math.max(...admitted) - start;
		// the minimum is (200 - 20) / 20 per s = 9 s; sending until the next 429 each time would take
		// about 10 s (a whole Retry-After for the last few tokens)
		expect(took).toBeGreaterThanOrEqual(9_000);
		expect(took).toBeLessThan(9_450);
		// without a pace every burst after a pause runs into the limit: 30 429s per second
		expect(limited).toBeLessThan(60);
	});

	test('the pace lapses after PACE_HOLDS_MS without a 429', async () => {
		const limit = new RateLimit();
		for (let index = 0; index < 20; index++) limit.succeeded((await limit.acquire(0, never))!);
		limit.limited(Date.now() - 1, 1000);
		jest.advanceTimersByTime(1000 + 60_000);
		const starts: number[] = [];
		for (let index = 0; index < 50; index++) {
			await limit.acquire(0, never);
			starts.push(Date.now());
		}
		expect(new Set(starts).size).toBe(1);
	});
});
