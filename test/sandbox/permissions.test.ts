/**
 * API key permissions (AGENTMAIL_API.md §9.1, api-keys.yml ApiKeyPermissions):
 * keys with a permission set get 403 missing_permission for anything outside
 * it, before any work is done; keys without a set keep full access.
 */
import axios, { type AxiosInstance } from 'axios';
import { AgentMailClient, AgentMailError } from 'agentmail';
import WebSocket from 'ws';
import { authorize, PERMISSIONS, ROUTE_RULES, ruleKey, type Permission } from '../../sandbox/permissions';
import { Query } from '../../sandbox/query';
import { createApiRouter } from '../../sandbox/routes';
import { enc, inbound, outbox, useSandbox, type Harness } from './helpers';

/** What README "Keep the agent from sending" gives each key. */
const AGENT: Permission[] = ['inbox_read', 'message_read', 'message_update', 'draft_read', 'draft_create', 'draft_update', 'draft_delete'];
const CONFIGURED_READER = 'am_configured_reader';

const harness = useSandbox({ restrictedKeys: [{ apiKey: CONFIGURED_READER, name: 'reader', permissions: ['inbox_read'] }] });

async function createKey(h: Harness, permissions?: Permission[], apiKey?: string): Promise<AxiosInstance> {
	const body: Record<string, unknown> = {};
	if (apiKey) body.api_key = apiKey;
	if (permissions) body.permissions = Object.fromEntries(permissions.map((p) => [p, true]));
	const res = await h.http.post('/_sandbox/api-keys', body);
	expect(res.status).toBe(200);
	return axios.create({
		baseURL: h.sandbox.url,
		validateStatus: () => true,
		proxy: false,
		headers: { Authorization: `Bearer ${res.data.api_key}` },
	});
}

function expectMissing(res: { status: number; data: Record<string, unknown> }, permission: string) {
	expect(res.status).toBe(403);
	expect(res.data).toEqual({
		name: 'ForbiddenError',
		code: 'missing_permission',
		message: 'Forbidden',
		fix: expect.stringContaining(`\`${permission}\``),
		docs: 'https://docs.agentmail.to/errors#missing_permission',
	});
}

describe('a draft-only key (the agent)', () => {
	it('creates, reads and updates drafts, but sending a draft or a message is 403 and nothing is sent', async () => {
		const h = harness();
		const agent = await createKey(h, AGENT);
		const created = await agent.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, { to: ['bob@example.com'], subject: 'Hi', text: 'x' });
		expect(created.status).toBe(200);
		const draft = `/v0/inboxes/${enc(h.inbox)}/drafts/${enc(created.data.draft_id)}`;
		expect((await agent.patch(draft, { subject: 'Hi again' })).status).toBe(200);
		expect((await agent.get(draft)).data.subject).toBe('Hi again');

		expectMissing(await agent.post(`${draft}/send`, {}, { headers: { 'Idempotency-Key': 'k-1' } }), 'draft_send');
		expectMissing(await agent.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'bob@example.com', text: 'x' }), 'message_send');
		const received = await inbound(h, { from: 'carol@example.com', subject: 'Q', text: 'q' });
		const message = `/v0/inboxes/${enc(h.inbox)}/messages/${enc(received.message_id)}`;
		for (const path of ['reply', 'reply-all', 'forward']) {
			const body = path === 'forward' ? { to: 'x@example.com' } : { text: 'a' };
			expectMissing(await agent.post(`${message}/${path}`, body), 'message_send');
		}
		expect(await outbox(h)).toEqual([]);
		expect((await agent.get(draft)).status).toBe(200); // the draft is still there, unsent

		// The same draft goes out with a key that may send.
		const sent = await h.api.post(`${draft}/send`, {});
		expect(sent.status).toBe(200);
		expect((await outbox(h)).map((m) => m.subject)).toEqual(['Hi again']);
	});

	it('cannot schedule a send: send_at on create or update needs draft_send; clearing it does not', async () => {
		const h = harness();
		const agent = await createKey(h, AGENT);
		const later = new Date(Date.now() + 60_000).toISOString();
		const base = `/v0/inboxes/${enc(h.inbox)}/drafts`;
		expectMissing(await agent.post(base, { to: ['bob@example.com'], text: 'x', send_at: later }), 'draft_send');
		const created = await agent.post(base, { to: ['bob@example.com'], text: 'x' });
		expectMissing(await agent.patch(`${base}/${enc(created.data.draft_id)}`, { send_at: later }), 'draft_send');
		expect((await agent.patch(`${base}/${enc(created.data.draft_id)}`, { send_at: null })).status).toBe(200);
		expect((await h.api.get('/v0/drafts')).data.count).toBe(1);
	});

	it('reading a message, labels and lists follow their own permissions', async () => {
		const h = harness();
		const agent = await createKey(h, AGENT);
		const received = await inbound(h, { from: 'carol@example.com', subject: 'Q', text: 'q' });
		const message = `/v0/inboxes/${enc(h.inbox)}/messages/${enc(received.message_id)}`;
		expect((await agent.get(message)).status).toBe(200);
		expect((await agent.patch(message, { add_labels: ['seen'] })).status).toBe(200);
		expectMissing(await agent.delete(message), 'message_delete');
		expectMissing(await agent.get('/v0/lists/send/allow'), 'list_entry_read');
		expectMissing(await agent.post('/v0/lists/send/allow', { entry: 'x@example.com' }), 'list_entry_create');
		expectMissing(await agent.post('/v0/inboxes', { username: 'another' }), 'inbox_create');
		expectMissing(await agent.get('/v0/webhooks'), 'webhook_read');
	});
});

describe('permissions that depend on the request', () => {
	it('a draft replying to or forwarding a message needs message_read', async () => {
		const h = harness();
		const received = await inbound(h, { from: 'carol@example.com', subject: 'Q', text: 'q' });
		const drafter = await createKey(h, ['draft_create']);
		const base = `/v0/inboxes/${enc(h.inbox)}/drafts`;
		expect((await drafter.post(base, { to: ['a@example.com'], text: 'x' })).status).toBe(200);
		expectMissing(await drafter.post(base, { in_reply_to: received.message_id, text: 'x' }), 'message_read');
		expectMissing(await drafter.post(base, { forward_of: received.message_id, to: ['a@example.com'] }), 'message_read');
		const reader = await createKey(h, ['draft_create', 'message_read']);
		expect((await reader.post(base, { in_reply_to: received.message_id, text: 'x' })).status).toBe(200);
	});

	it('spam, blocked, unauthenticated and trash messages need their label permission', async () => {
		const h = harness();
		await inbound(h, { from: 'spammer@example.com', text: 'buy', labels: ['spam'] });
		const reader = await createKey(h, ['message_read']);
		const list = `/v0/inboxes/${enc(h.inbox)}/messages`;
		expect((await reader.get(list)).data.count).toBe(0);
		expectMissing(await reader.get(list, { params: { include_spam: true } }), 'label_spam_read');
		expectMissing(await reader.get(list, { params: { labels: 'trash' } }), 'label_trash_read');
		const spamReader = await createKey(h, ['message_read', 'label_spam_read']);
		expect((await spamReader.get(list, { params: { include_spam: true } })).data.count).toBe(1);
	});

	it('a webhook on message.received.spam needs label_spam_read, on create and on update', async () => {
		const h = harness();
		const hooks = await createKey(h, ['webhook_create', 'webhook_update', 'webhook_read']);
		const url = 'http://127.0.0.1:9/hook';
		expectMissing(await hooks.post('/v0/webhooks', { url, event_types: ['message.received', 'message.received.spam'] }), 'label_spam_read');
		const created = await hooks.post('/v0/webhooks', { url, event_types: ['message.received'] });
		expect(created.status).toBe(200);
		expectMissing(
			await hooks.patch(`/v0/webhooks/${enc(created.data.webhook_id)}`, { event_types: ['message.received.blocked'] }),
			'label_blocked_read',
		);
	});

	it('a WebSocket subscription to message.received.spam needs label_spam_read', async () => {
		const h = harness();
		const res = await h.http.post('/_sandbox/api-keys', { permissions: { message_read: true } });
		const socket = new WebSocket(`${h.sandbox.wsUrl}/v0?api_key=${res.data.api_key}`);
		try {
			await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
			const answer = new Promise<Record<string, unknown>>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
			socket.send(JSON.stringify({ type: 'subscribe', event_types: ['message.received.spam'] }));
			expect(await answer).toEqual({ type: 'error', name: 'ForbiddenError', message: expect.stringContaining('label_spam_read') });
			const ok = new Promise<Record<string, unknown>>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
			socket.send(JSON.stringify({ type: 'subscribe', event_types: ['message.received'] }));
			expect((await ok).type).toBe('subscribed');
		} finally {
			socket.close();
		}
	});
});

describe('order and scope of the check', () => {
	it('comes before body validation and lookups: nothing about the request is revealed or done', async () => {
		const h = harness();
		const agent = await createKey(h, AGENT);
		expectMissing(await agent.post('/v0/inboxes/nobody@agentmail.to/messages/send', { bogus: true }), 'message_send');
		expectMissing(await agent.post(`/v0/inboxes/${enc(h.inbox)}/drafts/drf_missing/send`, 'not json', {
			headers: { 'content-type': 'application/json' },
		}), 'draft_send');
		const logged = (await h.http.get('/_sandbox/requests')).data.requests as Array<{ status: number }>;
		expect(logged.slice(-2).map((r) => r.status)).toEqual([403, 403]);
	});

	it('keys without a permission set keep full access; a key with an empty set may do nothing', async () => {
		const h = harness();
		const full = await createKey(h);
		expect((await full.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'bob@example.com', text: 'x' })).status).toBe(200);
		const none = await createKey(h, []);
		expectMissing(await none.get('/v0/inboxes'), 'inbox_read');
		expect((await h.api.get('/v0/inboxes')).status).toBe(200);
	});

	it('the official SDK sees a 403 AgentMailError with code missing_permission', async () => {
		const h = harness();
		const res = await h.http.post('/_sandbox/api-keys', { permissions: { draft_create: true } });
		const client = new AgentMailClient({ apiKey: res.data.api_key, baseUrl: h.sandbox.url });
		const caught = await client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'x' }).catch((e: unknown) => e);
		expect(caught).toBeInstanceOf(AgentMailError);
		expect((caught as AgentMailError).statusCode).toBe(403);
		expect((caught as AgentMailError).body).toMatchObject({ code: 'missing_permission', message: 'Forbidden' });
	});

	it('fails closed for a route without a rule, only for keys with a permission set', () => {
		const request = { query: new Query(new URLSearchParams()), body: undefined };
		expect(() => authorize(undefined, 'GET', '/v0/not-yet-ruled', request)).not.toThrow();
		expect(() => authorize(new Set(PERMISSIONS), 'GET', '/v0/not-yet-ruled', request)).toThrow(
			expect.objectContaining({ status: 403, body: expect.objectContaining({ code: 'missing_permission', fix: expect.stringContaining('sandbox/permissions.ts') }) }),
		);
	});

	it('every /v0 route of the sandbox has a permission rule (add new routes to ROUTE_RULES in sandbox/permissions.ts)', () => {
		const missing = createApiRouter()
			.list()
			.map((route) => ruleKey(route.method, route.pattern))
			.filter((key) => ROUTE_RULES[key] === undefined);
		expect(missing).toEqual([]);
	});
});

describe('the admin endpoint', () => {
	it('creates keys in AgentMail\'s ApiKeyPermissions shape (only true ones granted), lists them, and reset drops them', async () => {
		const h = harness();
		const created = await h.http.post('/_sandbox/api-keys', {
			api_key: 'am_test_agent',
			name: 'agent',
			permissions: { draft_create: true, draft_send: false },
		});
		expect(created.data).toMatchObject({ api_key: 'am_test_agent', name: 'agent', permissions: { draft_create: true }, configured: false });
		const listed = (await h.http.get('/_sandbox/api-keys')).data.api_keys as Array<{ api_key: string; permissions: unknown }>;
		expect(listed.map((k) => [k.api_key, k.permissions])).toEqual([
			[h.sandbox.apiKey, null],
			[CONFIGURED_READER, { inbox_read: true }],
			['am_test_agent', { draft_create: true }],
		]);
		await h.http.post('/_sandbox/reset');
		const after = (await h.http.get('/_sandbox/api-keys')).data.api_keys as Array<{ api_key: string }>;
		expect(after.map((k) => k.api_key)).toEqual([h.sandbox.apiKey, CONFIGURED_READER]);
		const unknown = await axios.get(`${h.sandbox.url}/v0/inboxes`, { headers: { Authorization: 'Bearer am_test_agent' }, validateStatus: () => true });
		expect([unknown.status, unknown.data.code]).toEqual([401, 'unknown_api_key']);
	});

	it('rejects unknown permissions, malformed keys and replacing a configured key', async () => {
		const h = harness();
		const typo = await h.http.post('/_sandbox/api-keys', { permissions: { draft_sned: true } });
		expect(typo.status).toBe(400);
		expect(JSON.stringify(typo.data.errors)).toContain('draft_sned');
		expect((await h.http.post('/_sandbox/api-keys', { api_key: 'has space' })).status).toBe(400);
		expect((await h.http.post('/_sandbox/api-keys', { api_key: CONFIGURED_READER })).status).toBe(409);
		expect((await h.http.post('/_sandbox/api-keys', { api_key: h.sandbox.apiKey })).status).toBe(409);
	});

	it('a configured key with a set (restrictedKeys option) is enforced too', async () => {
		const h = harness();
		const reader = axios.create({ baseURL: h.sandbox.url, validateStatus: () => true, headers: { Authorization: `Bearer ${CONFIGURED_READER}` } });
		expect((await reader.get('/v0/inboxes')).status).toBe(200);
		expectMissing(await reader.get('/v0/drafts'), 'draft_read');
	});
});
