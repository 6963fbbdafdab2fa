/** Fault injection (/_sandbox/faults). */
import { addFault, enc, useSandbox } from './helpers';

const harness = useSandbox();

describe('faults', () => {
	it('429 with the rate_limit_exceeded envelope and a Retry-After header, for the next N matches only', async () => {
		const h = harness();
		const fault = await addFault(h, { method: 'GET', path: '/v0/inboxes', status: 429, retry_after: 3, count: 2 });
		expect(fault.fault_id).toMatch(/^flt_/);
		for (let i = 0; i < 2; i++) {
			const res = await h.api.get('/v0/inboxes');
			expect(res.status).toBe(429);
			expect(res.headers['retry-after']).toBe('3');
			expect(res.data).toMatchObject({ name: 'RateLimitError', code: 'rate_limit_exceeded' });
			expect(res.data.message).toContain(fault.fault_id);
		}
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
		expect((await h.http.get('/_sandbox/faults')).data.faults).toEqual([]);
	});

	it('500 internal_error and 503 service_unavailable, with custom code and message', async () => {
		const h = harness();
		await addFault(h, { path: '/drafts', status: 500 });
		const internal = await h.api.get('/v0/drafts');
		expect(internal.status).toBe(500);
		expect(internal.data).toMatchObject({ name: 'InternalServerError', code: 'internal_error' });
		await addFault(h, { path: '/drafts', status: 503, code: 'maintenance', message: 'Down for maintenance' });
		const unavailable = await h.api.get('/v0/drafts');
		expect(unavailable.status).toBe(503);
		expect(unavailable.data).toEqual({
			name: 'ServiceUnavailableError',
			code: 'maintenance',
			message: 'Down for maintenance',
			docs: 'https://docs.agentmail.to/errors#maintenance',
		});
	});

	it('matches method and path (substring or /regex/ on the decoded path)', async () => {
		const h = harness();
		await addFault(h, { method: 'POST', path: '/^\\/v0\\/inboxes\\/agent@agentmail\\.to\\/drafts$/', status: 500 });
		expect((await h.api.get(`/v0/inboxes/${enc(h.inbox)}/drafts`)).status).toBe(200);
		expect((await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, {})).status).toBe(500);
		expect((await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, {})).status).toBe(200);
		await addFault(h, { path: 'agent@agentmail.to', status: 503 });
		expect((await h.api.get(`/v0/inboxes/${enc(h.inbox)}`)).status).toBe(503);
	});

	it('adds latency to a request that then succeeds', async () => {
		const h = harness();
		await addFault(h, { path: '/v0/inboxes', latency_ms: 300 });
		const started = Date.now();
		const res = await h.api.get('/v0/inboxes');
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		const [logged] = (await h.http.get('/_sandbox/requests')).data.requests;
		expect(logged.duration_ms).toBeGreaterThanOrEqual(290);
	});

	it('drops the connection without a response; nothing is sent', async () => {
		const h = harness();
		const fault = await addFault(h, { path: '/messages/send', drop: true });
		const error = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'bob@example.com' }).catch((e) => e);
		expect(error).toBeInstanceOf(Error);
		expect(error.code).toBe('ECONNRESET');
		const [logged] = (await h.http.get('/_sandbox/requests')).data.requests;
		expect(logged).toMatchObject({ status: null, dropped: true, fault_id: fault.fault_id });
		expect((await h.http.get('/_sandbox/outbox')).data.messages).toEqual([]);
	});

	it('lists and clears faults; validates fault specs', async () => {
		const h = harness();
		await addFault(h, { path: '/a', status: 500, count: 3 });
		await addFault(h, { latency_ms: 10 });
		const listed = (await h.http.get('/_sandbox/faults')).data.faults;
		expect(listed).toHaveLength(2);
		expect(listed[0]).toMatchObject({ path: '/a', status: 500, count: 3, remaining: 3 });
		expect((await h.http.delete('/_sandbox/faults')).status).toBe(204);
		expect((await h.http.get('/_sandbox/faults')).data.faults).toEqual([]);
		expect((await h.http.post('/_sandbox/faults', { path: '/a' })).status).toBe(400);
		expect((await h.http.post('/_sandbox/faults', { status: 200 })).status).toBe(400);
		expect((await h.http.post('/_sandbox/faults', { status: 500, drop: true })).status).toBe(400);
		expect((await h.http.post('/_sandbox/faults', { path: '/[/', status: 500 })).status).toBe(400);
	});
});
