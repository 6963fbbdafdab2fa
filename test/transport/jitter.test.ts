/** The full jitter added on top of Retry-After after a 429. */
import { rateLimitJitterMs } from '../../nodes/shared/transport/retry';

describe('rate-limit jitter', () => {
	it('is uniform in a window of 100 ms after the first 429, doubling per further 429, capped at 5 s', () => {
		const top = () => 0.999999;
		expect([1, 2, 3, 4, 5, 6, 7, 10].map((limited) => rateLimitJitterMs(limited, top))).toEqual([
			99, 199, 399, 799, 1599, 3199, 4999, 4999,
		]);
		expect(rateLimitJitterMs(1, () => 0)).toBe(0);
		expect(rateLimitJitterMs(3, () => 0.5)).toBe(200);
	});
});
