/** The per-key rate limit (/_sandbox/rate-limit): AgentMail limits per API key (AGENTMAIL_API.md §7.3). */
import { useSandbox } from './helpers';

const harness = useSandbox();

describe('rate limit', () => {
	it('off by default; a token bucket per key answers 429 rate_limit_exceeded with Retry-After in seconds', async () => {
		const h = harness();
		expect((await h.http.get('/_sandbox/rate-limit')).data).toEqual({ rate_limit: null });
		for (let index = 0; index < 5; index++) expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		const set = await h.http.post('/_sandbox/rate-limit', { capacity: 2, per_second: 0.5 });
		expect(set.data).toEqual({ rate_limit: { capacity: 2, per_second: 0.5, limited: 0 } });
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		const limited = await h.api.get('/v0/inboxes');
		expect(limited.status).toBe(429);
		expect(limited.data).toMatchObject({ name: 'RateLimitError', code: 'rate_limit_exceeded' });
		// a token every 2 s: the next one is at most 2 s away
		expect(['1', '2']).toContain(limited.headers['retry-after']);
		expect((await h.http.get('/_sandbox/rate-limit')).data.rate_limit.limited).toBe(1);
	});

	it('every key has its own bucket; a request without a valid key is refused before it takes a token', async () => {
		const h = harness();
		const other = (await h.http.post('/_sandbox/api-keys', {})).data.api_key as string;
		await h.http.post('/_sandbox/rate-limit', { capacity: 1, per_second: 0.1 });
		expect((await h.http.get('/v0/inboxes', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		expect((await h.api.get('/v0/inboxes')).status).toBe(429);
		expect((await h.http.get('/v0/inboxes', { headers: { Authorization: `Bearer ${other}` } })).status).toBe(200);
	});

	it('DELETE turns it off, and so does a reset', async () => {
		const h = harness();
		await h.http.post('/_sandbox/rate-limit', { capacity: 1, per_second: 0.1 });
		await h.api.get('/v0/inboxes');
		expect((await h.api.get('/v0/inboxes')).status).toBe(429);
		expect((await h.http.delete('/_sandbox/rate-limit')).status).toBe(204);
		expect((await h.http.get('/_sandbox/rate-limit')).data).toEqual({ rate_limit: null });
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		await h.http.post('/_sandbox/rate-limit', { capacity: 1, per_second: 0.1 });
		await h.http.post('/_sandbox/reset');
		expect((await h.http.get('/_sandbox/rate-limit')).data).toEqual({ rate_limit: null });
	});

	it('rejects a malformed limit with a 400 naming the field', async () => {
		const h = harness();
		const res = await h.http.post('/_sandbox/rate-limit', { capacity: 0, per_second: 1 });
		expect(res.status).toBe(400);
		expect(JSON.stringify(res.data)).toContain('capacity');
	});
});
