import { waitOutPause } from '../../nodes/shared/transport/pause';
import type { AgentMailSession } from '../../nodes/shared/transport/session';

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
	test('no pause: returns at once', async () => {
		const started = Date.now();
		await expect(waitOutPause(session(-1), 0, never)).resolves.toBe(true);
		expect(Date.now() - started).toBeLessThan(20);
	});

	test('the first waiter resumes when the pause ends, the others with jitter on top (never earlier)', async () => {
		const paused = session(150);
		const resumed: number[] = [];
		// limited = 6: a 3.2 s jitter window, so the other waiters land well after the first
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				await waitOutPause(paused, 6, never);
				resumed.push(Date.now());
			}),
		);
		const [first, ...others] = resumed.sort((a, b) => a - b);
		expect(first).toBeGreaterThanOrEqual(paused.pausedUntil - 2);
		expect(first - paused.pausedUntil).toBeLessThan(60);
		expect(paused.resumeTakenFor).toBe(paused.pausedAt);
		for (const at of others) expect(at).toBeGreaterThanOrEqual(paused.pausedUntil);
		// 7 draws from [0, 3200) ms all below 60 ms has a chance of about 1e-10
		expect(others.some((at) => at - paused.pausedUntil > 60)).toBe(true);
	}, 10_000);

	test('a pause that begins while waiting is waited out too; its first waiter is again exact', async () => {
		const paused = session(100);
		const waiting = waitOutPause(paused, 1, never).then(() => Date.now());
		await new Promise((resolve) => setTimeout(resolve, 50));
		// another request met the limit meanwhile
		paused.pausedAt = Date.now();
		paused.pausedUntil = paused.pausedAt + 250;
		const resumed = await waiting;
		expect(resumed).toBeGreaterThanOrEqual(paused.pausedUntil - 2);
		expect(resumed - paused.pausedUntil).toBeLessThan(60);
	});

	test('a wait past the deadline is not started', async () => {
		const paused = session(5_000);
		const started = Date.now();
		const waits: number[] = [];
		await expect(
			waitOutPause(paused, 1, (wait) => {
				waits.push(wait);
				return true;
			}),
		).resolves.toBe(false);
		expect(Date.now() - started).toBeLessThan(50);
		expect(waits[0]).toBeGreaterThan(4_900);
	});
});
