import { waitOutPause } from '../../nodes/shared/transport/pause';
import type { AgentMailSession } from '../../nodes/shared/transport/session';

// A virtual clock (jest's modern fake timers fake both setTimeout and Date.now),
// so "exactly when the pause ends" is checked to the millisecond without
// depending on how busy the machine is.
beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
afterEach(() => jest.useRealTimers());

function session(pausedForMs: number): AgentMailSession {
	const now = Date.now();
	return {
		credentials: { id: '', name: 'agentMailApi', type: 'agentMailApi', data: {} },
		baseUrl: 'http://127.0.0.1:1',
		pausedUntil: now + pausedForMs,
		pausedAt: now,
		resumeTakenFor: -1,
		retryBudgetMs: 120_000,
	};
}

const never = () => false;

describe('waitOutPause (the shared 429 pause)', () => {
	test('no pause: returns at once, without a timer', async () => {
		await expect(waitOutPause(session(-1), 0, never)).resolves.toBe(true);
		expect(jest.getTimerCount()).toBe(0);
	});

	test('the first waiter resumes when the pause ends, the others with jitter on top (never earlier)', async () => {
		const paused = session(150);
		const resumed: number[] = [];
		// limited = 6: a 3.2 s jitter window, so the other waiters land well after the first
		const all = Promise.all(
			Array.from({ length: 8 }, async () => {
				await waitOutPause(paused, 6, never);
				resumed.push(Date.now());
			}),
		);
		await jest.advanceTimersByTimeAsync(10_000);
		await all;
		const [first, ...others] = resumed.sort((a, b) => a - b);
		expect(first).toBe(paused.pausedUntil);
		expect(paused.resumeTakenFor).toBe(paused.pausedAt);
		for (const at of others) expect(at).toBeGreaterThanOrEqual(paused.pausedUntil);
		// 7 draws from [0, 3200) ms all below 60 ms has a chance of about 1e-10
		expect(others.some((at) => at - paused.pausedUntil > 60)).toBe(true);
	});

	test('a pause that begins while waiting is waited out too; its first waiter is again exact', async () => {
		const paused = session(100);
		let resumed = 0;
		const waiting = waitOutPause(paused, 1, never).then(() => (resumed = Date.now()));
		await jest.advanceTimersByTimeAsync(50);
		// another request met the limit meanwhile
		paused.pausedAt = Date.now();
		paused.pausedUntil = paused.pausedAt + 250;
		await jest.advanceTimersByTimeAsync(100);
		expect(resumed).toBe(0); // the first sleep ended inside the new pause: it did not send
		await jest.advanceTimersByTimeAsync(1_000);
		await waiting;
		expect(resumed).toBe(paused.pausedUntil);
	});

	test('a wait past the deadline is not started', async () => {
		const paused = session(5_000);
		const waits: number[] = [];
		await expect(
			waitOutPause(paused, 1, (wait) => {
				waits.push(wait);
				return true;
			}),
		).resolves.toBe(false);
		expect(jest.getTimerCount()).toBe(0);
		expect(waits[0]).toBe(5_000);
	});
});
