/**
 * Webhooks and events (AGENTMAIL_API.md §6): management through the official
 * SDK, Svix-signed delivery to a local receiver, filtering by scope and type,
 * retries with a stable svix-id, redelivery, and every event source
 * (inbound, local delivery, sends, scheduled sends, list rejections, injected
 * bounces / complaints / opens). WebSockets through the SDK's own client.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentMail, AgentMailClient } from 'agentmail';
import { expectSdkError, useSandbox } from './helpers';

interface Received {
	headers: IncomingHttpHeaders;
	body: string;
	json: Record<string, unknown> & { event_type: string; event_id: string };
}

/** A local webhook receiver answering with the next status of `statuses` (then 200). */
class Receiver {
	readonly received: Received[] = [];
	statuses: number[] = [];
	private server!: Server;
	url = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				this.received.push({ headers: req.headers, body, json: JSON.parse(body) });
				res.writeHead(this.statuses.shift() ?? 200).end();
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
	}

	types(): string[] {
		return this.received.map((r) => r.json.event_type);
	}

	close(): Promise<void> {
		return new Promise((resolve) => this.server.close(() => resolve()));
	}
}

/** Svix verification written from the spec (§6.4), independent of the sandbox's signing code. */
function svixValid(secret: string, r: Received): boolean {
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	const expected = createHmac('sha256', key)
		.update(`${String(r.headers['svix-id'])}.${String(r.headers['svix-timestamp'])}.${r.body}`)
		.digest('base64');
	return String(r.headers['svix-signature'])
		.split(' ')
		.some((part) => part === `v1,${expected}`);
}

const harness = useSandbox({ webhookRetryDelaysMs: [30, 60] });
let receiver: Receiver;

beforeEach(async () => {
	receiver = new Receiver();
	await receiver.start();
});
afterEach(async () => {
	await harness().sandbox.webhooksIdle();
	await receiver.close();
});

async function inbound(inboxId: string, subject = 'Hello') {
	const res = await harness().http.post('/_sandbox/inbound', {
		inbox_id: inboxId,
		from: 'Customer <customer@example.com>',
		subject,
		text: 'Where is my refund?',
	});
	expect(res.status).toBe(200);
	return res.data as { message_id: string; thread_id: string };
}

describe('webhook management (SDK)', () => {
	it('creates with a whsec_ secret, is idempotent by client_id, gets, lists, updates, deletes', async () => {
		const { client, inbox } = harness();
		const created = await client.webhooks.create({
			url: receiver.url,
			eventTypes: ['message.received'],
			inboxIds: [inbox],
			clientId: 'n8n-wf-1',
		});
		expect(created).toMatchObject({
			webhookId: expect.stringMatching(/^wh_/),
			url: receiver.url,
			eventTypes: ['message.received'],
			inboxIds: [inbox],
			secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]+$/),
			enabled: true,
			clientId: 'n8n-wf-1',
		});
		const again = await client.webhooks.create({ url: receiver.url, eventTypes: ['message.received'], clientId: 'n8n-wf-1' });
		expect(again.webhookId).toBe(created.webhookId);
		expect((await client.webhooks.list()).webhooks).toHaveLength(1);
		expect(await client.webhooks.get(created.webhookId)).toEqual(created);

		const updated = await client.webhooks.update(created.webhookId, {
			eventTypes: ['message.received', 'message.sent'],
			removeInboxIds: [inbox],
		});
		expect(updated.eventTypes).toEqual(['message.received', 'message.sent']);
		expect(updated.inboxIds).toBeUndefined();
		// [] leaves the types unchanged
		expect((await client.webhooks.update(created.webhookId, { eventTypes: [] })).eventTypes).toHaveLength(2);

		await client.webhooks.updateHeaders(created.webhookId, { headers: { 'X-Token': 'abc' } });
		expect((await client.webhooks.getHeaders(created.webhookId)).headerNames).toEqual(['X-Token']);

		await client.webhooks.delete(created.webhookId);
		await expectSdkError(client.webhooks.get(created.webhookId), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('refuses non-loopback URLs, missing event types and more than 10 inboxes', async () => {
		const { api, inbox } = harness();
		const remote = await api.post('/v0/webhooks', { url: 'https://example.com/hook', event_types: ['message.received'] });
		expect(remote.status).toBe(400);
		expect(remote.data.message).toMatch(/loopback/);
		expect((await api.post('/v0/webhooks', { url: receiver.url })).status).toBe(400);
		const many = await api.post('/v0/webhooks', {
			url: receiver.url,
			event_types: ['message.received'],
			inbox_ids: Array.from({ length: 11 }, () => inbox),
		});
		expect(many.status).toBe(400);
	});

	it('has inbox- and pod-scoped endpoints', async () => {
		const { api, inbox, http } = harness();
		const pod = (await http.get('/_sandbox/health')).data.pod_id as string;
		const scoped = await api.post(`/v0/inboxes/${encodeURIComponent(inbox)}/webhooks`, {
			url: receiver.url,
			event_types: ['message.received'],
		});
		expect(scoped.status).toBe(200);
		expect(scoped.data.inbox_ids).toEqual([inbox]);
		const podHook = await api.post(`/v0/pods/${pod}/webhooks`, { url: receiver.url, event_types: ['message.sent'] });
		expect(podHook.status).toBe(200);
		expect((await api.get(`/v0/inboxes/${encodeURIComponent(inbox)}/webhooks`)).data.count).toBe(1);
		expect((await api.get(`/v0/pods/${pod}/webhooks`)).data.count).toBe(1);
		expect((await api.get('/v0/webhooks')).data.count).toBe(2);
		// inbox_ids is not accepted at inbox scope
		const bad = await api.post(`/v0/inboxes/${encodeURIComponent(inbox)}/webhooks`, {
			url: receiver.url,
			event_types: ['message.received'],
			inbox_ids: [inbox],
		});
		expect(bad.status).toBe(400);
	});
});

describe('event delivery', () => {
	it('POSTs inbound mail as message.received, Svix-signed, with message and thread', async () => {
		const { client, inbox, sandbox } = harness();
		const hook = await client.webhooks.create({ url: receiver.url, eventTypes: ['message.received'] });
		const mail = await inbound(inbox, 'Refund');
		await sandbox.webhooksIdle();
		expect(receiver.received).toHaveLength(1);
		const [r] = receiver.received;
		expect(r.headers['svix-id']).toMatch(/^msg_/);
		expect(Math.abs(Number(r.headers['svix-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
		expect(svixValid(hook.secret, r)).toBe(true);
		expect(svixValid('whsec_' + Buffer.from('wrong').toString('base64'), r)).toBe(false);
		expect(r.json).toMatchObject({
			type: 'event',
			event_type: 'message.received',
			event_id: expect.stringMatching(/^evt_/),
			message: { inbox_id: inbox, message_id: mail.message_id, thread_id: mail.thread_id, subject: 'Refund' },
			thread: { inbox_id: inbox, thread_id: mail.thread_id, message_count: 1, last_message_id: mail.message_id },
		});
	});

	it('filters by event type and inbox, on the server', async () => {
		const { client, inbox, http, sandbox } = harness();
		const other = (await http.post('/_sandbox/seed', { inboxes: [{ username: 'other' }] })).data.inboxes[0].inbox_id;
		await client.webhooks.create({ url: receiver.url, eventTypes: ['message.received'], inboxIds: [other] });
		await inbound(inbox);
		await inbound(other);
		await sandbox.webhooksIdle();
		expect(receiver.received.map((r) => (r.json.message as { inbox_id: string }).inbox_id)).toEqual([other]);
	});

	it('sends between sandbox inboxes: message.sent and message.delivered for the sender, message.received for the recipient', async () => {
		const { client, inbox, http, sandbox } = harness();
		const other = (await http.post('/_sandbox/seed', { inboxes: [{ username: 'colleague' }] })).data.inboxes[0].inbox_id;
		await client.webhooks.create({
			url: receiver.url,
			eventTypes: ['message.sent', 'message.delivered', 'message.received'],
		});
		const sent = await client.inboxes.messages.send(inbox, { to: other, subject: 'Hi', text: 'Hello colleague' });
		await sandbox.webhooksIdle();
		expect(receiver.types().sort()).toEqual(['message.delivered', 'message.received', 'message.sent']);
		const send = receiver.received.find((r) => r.json.event_type === 'message.sent')!.json.send;
		expect(send).toMatchObject({ inbox_id: inbox, message_id: sent.messageId, thread_id: sent.threadId, recipients: [other] });
		const received = receiver.received.find((r) => r.json.event_type === 'message.received')!.json;
		expect(received.message).toMatchObject({ inbox_id: other, message_id: sent.messageId });
	});

	it('scheduled sends, list rejections and injected bounce / complaint / open each produce their event', async () => {
		const { client, inbox, api, http, sandbox } = harness();
		await client.webhooks.create({
			url: receiver.url,
			eventTypes: ['message.sent', 'message.rejected', 'message.bounced', 'message.complained', 'message.opened', 'domain.verified'],
		});
		const draft = await client.inboxes.drafts.create(inbox, {
			to: ['later@example.com'],
			subject: 'Later',
			sendAt: new Date(Date.now() + 100),
		});
		await new Promise((resolve) => setTimeout(resolve, 400));
		await http.post('/_sandbox/scheduler/run');
		await sandbox.webhooksIdle();
		const scheduled = receiver.received.find((r) => r.json.event_type === 'message.sent');
		expect(scheduled?.json.send).toMatchObject({ inbox_id: inbox, recipients: ['later@example.com'] });
		expect(draft.draftId).toBeTruthy();

		await client.lists.create('send', 'block', { entry: 'blocked@example.com' });
		const refused = await api.post(`/v0/inboxes/${encodeURIComponent(inbox)}/messages/send`, { to: 'blocked@example.com', subject: 'x' });
		expect(refused.status).toBe(403);
		const message_id = (scheduled!.json.send as { message_id: string }).message_id;
		for (const event_type of ['message.bounced', 'message.complained', 'message.opened']) {
			expect((await http.post('/_sandbox/events', { event_type, inbox_id: inbox, message_id })).status).toBe(200);
		}
		expect((await http.post('/_sandbox/events', { event_type: 'domain.verified', domain: 'acme.test' })).status).toBe(200);
		expect((await http.post('/_sandbox/events', { event_type: 'message.bounced', inbox_id: inbox, message_id: '<nope@x>' })).status).toBe(404);
		await sandbox.webhooksIdle();
		expect(receiver.types()).toEqual([
			'message.sent',
			'message.rejected',
			'message.bounced',
			'message.complained',
			'message.opened',
			'domain.verified',
		]);
		const byType = (t: string) => receiver.received.find((r) => r.json.event_type === t)!.json;
		expect(byType('message.rejected').reject).toMatchObject({ inbox_id: inbox, reason: expect.stringMatching(/blocked@example.com/) });
		expect(byType('message.bounced').bounce).toMatchObject({
			message_id,
			type: 'Permanent',
			recipients: [{ address: 'later@example.com', status: 'bounced' }],
		});
		expect(byType('message.complained').complaint).toMatchObject({ message_id, recipients: ['later@example.com'] });
		expect(byType('message.opened').open).toMatchObject({ message_id, inbox_id: inbox });
		expect(byType('domain.verified').domain).toMatchObject({ domain: 'acme.test' });
	});

	it('retries a failing delivery with backoff and the same svix-id, bounded; redelivers on request', async () => {
		const { client, inbox, http, sandbox } = harness();
		const hook = await client.webhooks.create({ url: receiver.url, eventTypes: ['message.received'] });
		receiver.statuses = [500, 503];
		await inbound(inbox);
		await sandbox.webhooksIdle();
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => r.headers['svix-id'])).size).toBe(1);
		expect(new Set(receiver.received.map((r) => r.json.event_id)).size).toBe(1);
		expect(receiver.received.every((r) => svixValid(hook.secret, r))).toBe(true);
		let deliveries = (await http.get('/_sandbox/webhooks/deliveries')).data.deliveries;
		expect(deliveries).toHaveLength(1);
		expect(deliveries[0]).toMatchObject({ status: 'delivered', svix_id: receiver.received[0].headers['svix-id'] });
		expect(deliveries[0].attempts.map((a: { status: number }) => a.status)).toEqual([500, 503, 200]);

		// always failing: 1 + 2 retries, then failed
		receiver.received.length = 0;
		receiver.statuses = [500, 500, 500, 500, 500];
		await inbound(inbox);
		await sandbox.webhooksIdle();
		expect(receiver.received).toHaveLength(3);
		deliveries = (await http.get('/_sandbox/webhooks/deliveries', { params: { event_id: receiver.received[0].json.event_id } })).data.deliveries;
		expect(deliveries[0].status).toBe('failed');

		receiver.statuses = [];
		const redelivered = await http.post(`/_sandbox/webhooks/deliveries/${deliveries[0].delivery_id}/redeliver`);
		expect(redelivered.status).toBe(200);
		await sandbox.webhooksIdle();
		expect(receiver.received).toHaveLength(4);
		expect(receiver.received[3].headers['svix-id']).toBe(receiver.received[0].headers['svix-id']);
		expect((await http.get('/_sandbox/webhooks/deliveries', { params: { event_id: receiver.received[0].json.event_id } })).data.deliveries[0].status).toBe('delivered');
	});
});

describe('WebSockets (SDK client)', () => {
	it('subscribes, receives matching events only, and reports errors', async () => {
		const { sandbox, inbox, http } = harness();
		const client = new AgentMailClient({
			apiKey: sandbox.apiKey,
			environment: { http: sandbox.url, websockets: sandbox.wsUrl },
		});
		const socket = await client.websockets.connect({ reconnectAttempts: 0 });
		const messages: Array<Record<string, unknown>> = [];
		socket.on('message', (message) => messages.push(message as unknown as Record<string, unknown>));
		const other = (await http.post('/_sandbox/seed', { inboxes: [{ username: 'ws-other' }] })).data.inboxes[0].inbox_id;
		socket.sendSubscribe({ type: 'subscribe', eventTypes: ['message.received'], inboxIds: [inbox] });
		const until = async (predicate: () => boolean) => {
			for (let i = 0; i < 100 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
		};
		await until(() => messages.length >= 1);
		expect(messages[0]).toMatchObject({ type: 'subscribed', eventTypes: ['message.received'], inboxIds: [inbox] });
		await inbound(other);
		const mail = await inbound(inbox);
		await until(() => messages.length >= 2);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(messages).toHaveLength(2);
		expect(messages[1]).toMatchObject({ type: 'event', eventType: 'message.received' });
		expect(JSON.stringify(messages[1])).toContain(mail.message_id);

		socket.sendSubscribe({ type: 'subscribe', eventTypes: ['message.nope' as never] });
		await until(() => messages.length >= 3);
		expect(messages[2]).toMatchObject({ type: 'error', name: 'ValidationError' });
		socket.close();
	});

	it('refuses a connection without a valid API key', async () => {
		const { sandbox } = harness();
		const status = await new Promise<string>((resolve) => {
			const ws = new WebSocket(`${sandbox.wsUrl}/v0?api_key=wrong`);
			ws.onopen = () => resolve('open');
			ws.onerror = () => resolve('error');
		});
		expect(status).toBe('error');
	});
});
