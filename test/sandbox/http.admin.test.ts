/** The /_sandbox inspection and control endpoints. */
import { enc, outbox, startHarness, useSandbox } from './helpers';

const harness = useSandbox();

describe('/_sandbox/requests', () => {
	it('logs each API request: method, raw and decoded path, query, headers without the key, body, status', async () => {
		const h = harness();
		await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts?x=1&labels=a&labels=b`, { subject: 'logged' }, {
			headers: { 'X-Trace': 't-1' },
		});
		await h.http.get('/v0/inboxes');
		const { requests } = (await h.http.get('/_sandbox/requests')).data;
		expect(requests).toHaveLength(2);
		expect(requests[0]).toMatchObject({
			seq: expect.any(Number),
			method: 'POST',
			url: '/v0/inboxes/agent%40agentmail.to/drafts?x=1&labels=a&labels=b',
			path: '/v0/inboxes/agent%40agentmail.to/drafts',
			decoded_path: '/v0/inboxes/agent@agentmail.to/drafts',
			query: { x: '1', labels: ['a', 'b'] },
			body: { subject: 'logged' },
			status: 200,
		});
		expect(requests[0].headers['x-trace']).toBe('t-1');
		expect(requests[0].headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(requests)).not.toContain(h.sandbox.apiKey);
		expect(requests[1]).toMatchObject({ method: 'GET', status: 401, body: null });
		expect(requests[1].headers).not.toHaveProperty('authorization');
	});

	it('DELETE clears it, so a test can assert that no request reached the sandbox', async () => {
		const h = harness();
		await h.api.get('/v0/inboxes');
		expect((await h.http.delete('/_sandbox/requests')).status).toBe(204);
		await h.http.get('/_sandbox/outbox');
		expect((await h.http.get('/_sandbox/requests')).data.requests).toEqual([]);
	});
});

describe('/_sandbox/outbox', () => {
	it('holds every sent message in send order with bodies, recipients, key and time', async () => {
		const h = harness();
		const first = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'a@example.com', subject: '1', html: '<b>1</b>' });
		const second = await h.api.post(
			`/v0/inboxes/${enc(h.inbox)}/messages/send`,
			{ to: 'b@example.com', bcc: 'c@example.com', subject: '2', text: 'two' },
			{ headers: { 'Idempotency-Key': 'k2' } },
		);
		const messages = await outbox(h);
		expect(messages.map((m) => m.message_id)).toEqual([first.data.message_id, second.data.message_id]);
		expect(messages[0]).toMatchObject({ inbox_id: h.inbox, html: '<b>1</b>', to: ['a@example.com'], via: 'send' });
		expect(messages[0]).not.toHaveProperty('idempotency_key');
		expect(messages[1]).toMatchObject({ text: 'two', bcc: ['c@example.com'], idempotency_key: 'k2', delivered_to: [] });
		expect(Date.parse(messages[1].sent_at)).toBeGreaterThan(Date.parse(messages[0].sent_at));
	});
});

describe('/_sandbox/reset, seed, inbound, health, attachments', () => {
	it('reset returns to the seeded state', async () => {
		const h = harness();
		await h.api.post('/v0/inboxes', { username: 'extra' });
		await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'a@example.com' });
		await h.api.post('/v0/lists/send/block', { entry: 'x.com' });
		const reset = await h.http.post('/_sandbox/reset');
		expect(reset.data.inboxes.map((i: { inbox_id: string }) => i.inbox_id)).toEqual(['agent@agentmail.to']);
		expect((await h.api.get('/v0/inboxes')).data.count).toBe(1);
		expect((await h.api.get('/v0/lists/send/block')).data.count).toBe(0);
		expect(await outbox(h)).toEqual([]);
	});

	it('seed creates given inboxes and N generated ones, returning them', async () => {
		const h = harness();
		const res = await h.http.post('/_sandbox/seed', {
			inboxes: [{ username: 'sales', domain: 'acme.test', display_name: 'Sales' }],
			count: 3,
			prefix: 'picker',
		});
		expect(res.status).toBe(200);
		expect(res.data.inboxes.map((i: { inbox_id: string }) => i.inbox_id)).toEqual([
			'sales@acme.test',
			'picker-001@agentmail.to',
			'picker-002@agentmail.to',
			'picker-003@agentmail.to',
		]);
		expect(res.data.inboxes[0].display_name).toBe('Sales');
		const more = await h.http.post('/_sandbox/seed', { count: 1, prefix: 'picker' });
		expect(more.data.inboxes[0].inbox_id).toBe('picker-004@agentmail.to');
		expect((await h.api.get('/v0/inboxes')).data.count).toBe(6);
		expect((await h.http.post('/_sandbox/seed', { count: -1 })).status).toBe(400);
	});

	it('inbound delivers outside mail into an inbox as received + unread', async () => {
		const h = harness();
		const res = await h.http.post('/_sandbox/inbound', {
			inbox_id: h.inbox,
			from: 'Customer <customer@example.com>',
			subject: 'Help',
			text: 'Please call me',
		});
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({
			inbox_id: h.inbox,
			from: 'Customer <customer@example.com>',
			to: ['agent@agentmail.to'],
			labels: ['received', 'unread'],
			subject: 'Help',
		});
		const listed = await h.api.get(`/v0/inboxes/${enc(h.inbox)}/messages`, { params: { labels: '["unread"]' } });
		expect(listed.data.messages.map((m: { message_id: string }) => m.message_id)).toEqual([res.data.message_id]);
		expect((await h.http.post('/_sandbox/inbound', { inbox_id: 'ghost@agentmail.to', from: 'a@b.co' })).status).toBe(404);
	});

	it('health reports the organization and seeded inbox; admin routes need no key', async () => {
		const h = harness();
		const res = await h.http.get('/_sandbox/health');
		expect(res.data).toMatchObject({ status: 'ok', seed_inbox: 'agent@agentmail.to', inboxes: 1 });
		expect(res.data.organization_id).toMatch(/^org_/);
	});

	it('serves attachment bytes at the download_url', async () => {
		const h = harness();
		const content = Buffer.from('hello attachment').toString('base64');
		const draft = (
			await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, {
				attachments: [{ filename: 'hello.txt', content_type: 'text/plain', content }],
			})
		).data;
		const meta = await h.api.get(`/v0/drafts/${encodeURIComponent(draft.draft_id)}/attachments/${draft.attachments[0].attachment_id}`);
		expect(meta.data).toMatchObject({ filename: 'hello.txt', size: 16, content_type: 'text/plain' });
		expect(Date.parse(meta.data.expires_at)).toBeGreaterThan(Date.now());
		const file = await h.http.get(meta.data.download_url, { responseType: 'text' });
		expect(file.headers['content-type']).toBe('text/plain');
		expect(file.data).toBe('hello attachment');
	});

	it('scheduler/run sends due drafts now and leaves future ones scheduled', async () => {
		const slow = await startHarness({ schedulerIntervalMs: 60_000 });
		try {
			const create = (ms: number) =>
				slow.api.post(`/v0/inboxes/${enc(slow.inbox)}/drafts`, {
					to: ['bob@example.com'],
					send_at: new Date(Date.now() + ms).toISOString(),
				});
			const due = (await create(100)).data;
			const later = (await create(60_000)).data;
			await new Promise((resolve) => setTimeout(resolve, 150));
			expect((await slow.api.get(`/v0/drafts/${encodeURIComponent(due.draft_id)}`)).data.send_status).toBe('scheduled');
			expect((await slow.http.post('/_sandbox/scheduler/run')).data).toEqual({ sent: 1 });
			expect((await slow.api.get(`/v0/drafts/${encodeURIComponent(due.draft_id)}`)).status).toBe(404);
			expect((await slow.api.get(`/v0/drafts/${encodeURIComponent(later.draft_id)}`)).data.send_status).toBe('scheduled');
			expect((await outbox(slow)).map((m) => m.draft_id)).toEqual([due.draft_id]);
		} finally {
			await slow.sandbox.close();
		}
	});
});
