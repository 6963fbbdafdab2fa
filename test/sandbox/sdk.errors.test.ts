/** The error classes the SDK raises against the sandbox, and its retry behaviour on injected faults. */
import { AgentMail, AgentMailClient, AgentMailError } from 'agentmail';
import { addFault, expectSdkError, outbox, useSandbox } from './helpers';

const harness = useSandbox();

describe('SDK errors', () => {
	it('429 after an injected fault: generic AgentMailError with rate_limit_exceeded and Retry-After', async () => {
		const h = harness();
		await addFault(h, { path: '/messages/send', status: 429, retry_after: 7 });
		const error = await expectSdkError(
			h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'x' }, { maxRetries: 0 }),
			AgentMailError,
			429,
			'rate_limit_exceeded',
		);
		expect(error.body.name).toBe('RateLimitError');
		expect(error.rawResponse?.headers.get('retry-after')).toBe('7');
		expect(await outbox(h)).toEqual([]);
	});

	it('the SDK retries a 429 after Retry-After and then succeeds (one email)', async () => {
		const h = harness();
		await addFault(h, { method: 'POST', path: '/messages/send', status: 429, retry_after: 1, count: 1 });
		const started = Date.now();
		const sent = await h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'x' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sent.messageId).toMatch(/^</);
		const log = (await h.http.get('/_sandbox/requests')).data.requests as Array<{ status: number }>;
		expect(log.map((r) => r.status)).toEqual([429, 200]);
		expect((await outbox(h)).length).toBe(1);
	});

	it('500 and 503 faults: internal_error and service_unavailable', async () => {
		const h = harness();
		await addFault(h, { method: 'GET', path: '/drafts', status: 500 });
		await expectSdkError(h.client.inboxes.drafts.list(h.inbox, {}, { maxRetries: 0 }), AgentMailError, 500, 'internal_error');
		await addFault(h, { method: 'GET', path: '/drafts', status: 503 });
		await expectSdkError(h.client.drafts.list({}, { maxRetries: 0 }), AgentMailError, 503, 'service_unavailable');
		expect((await h.client.drafts.list()).count).toBe(0);
	});

	it('409 ConflictError for an Idempotency-Key reused with a different body', async () => {
		const h = harness();
		const first = await h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'one' }, { idempotencyKey: 'k-1' });
		const replay = await h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'one' }, { idempotencyKey: 'k-1' });
		expect(replay).toEqual(first);
		const error = await expectSdkError(
			h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'two' }, { idempotencyKey: 'k-1' }),
			AgentMail.ConflictError,
			409,
			'conflict',
		);
		expect(error.body.message).toContain('k-1');
		expect((await outbox(h)).length).toBe(1);
	});

	it('401 without a known key: unknown_api_key', async () => {
		const h = harness();
		const stranger = new AgentMailClient({ apiKey: 'am_wrong', baseUrl: h.sandbox.url });
		const error = await expectSdkError(stranger.inboxes.list(), AgentMailError, 401, 'unknown_api_key');
		expect(error.body.message).toBe('Unknown API key');
	});

	it('404 NotFoundError carries name, message and docs', async () => {
		const h = harness();
		const error = await expectSdkError(h.client.inboxes.drafts.get(h.inbox, 'drf_missing'), AgentMail.NotFoundError, 404, 'not_found');
		expect(error.body).toEqual({
			name: 'NotFoundError',
			code: 'not_found',
			message: 'Draft not found',
			docs: 'https://docs.agentmail.to/errors#not_found',
		});
	});
});
