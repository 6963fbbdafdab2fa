/** Idempotency-Key on sends and client_id on creates (AGENTMAIL_API.md §7.4). */
import { addFault, enc, outbox, useSandbox } from './helpers';

const harness = useSandbox();

const sendPath = (inbox: string) => `/v0/inboxes/${enc(inbox)}/messages/send`;
const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

describe('Idempotency-Key', () => {
	it('replays the first result for the same key, endpoint and body; the outbox holds one message', async () => {
		const { api, inbox } = harness();
		const body = { to: ['bob@example.com'], subject: 'once', text: 'only once' };
		const first = await api.post(sendPath(inbox), body, withKey('order-42'));
		expect(first.status).toBe(200);
		const reordered = { text: 'only once', subject: 'once', to: ['bob@example.com'] };
		const second = await api.post(sendPath(inbox), reordered, withKey('order-42'));
		expect(second.status).toBe(200);
		expect(second.data).toEqual(first.data);
		expect(second.headers['idempotent-replayed']).toBe('true');
		const sent = await outbox(harness());
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ message_id: first.data.message_id, idempotency_key: 'order-42' });
		const log = (await harness().http.get('/_sandbox/requests')).data.requests;
		expect(log.map((r: { headers: Record<string, string> }) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-42']);
	});

	it('409 conflict for the same key with a different body or on a different endpoint', async () => {
		const h = harness();
		await h.api.post(sendPath(h.inbox), { to: 'bob@example.com', text: 'a' }, withKey('k'));
		const otherBody = await h.api.post(sendPath(h.inbox), { to: 'bob@example.com', text: 'b' }, withKey('k'));
		expect(otherBody.status).toBe(409);
		expect(otherBody.data).toMatchObject({ name: 'ConflictError', code: 'conflict' });
		const other = (await h.api.post('/v0/inboxes', { username: 'other' })).data.inbox_id;
		const otherInbox = await h.api.post(sendPath(other), { to: 'bob@example.com', text: 'a' }, withKey('k'));
		expect(otherInbox.status).toBe(409);
		const draft = (await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, { to: ['bob@example.com'] })).data;
		const otherEndpoint = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts/${encodeURIComponent(draft.draft_id)}/send`, {}, withKey('k'));
		expect(otherEndpoint.status).toBe(409);
		expect((await outbox(h)).length).toBe(1);
	});

	it('400 for an empty or malformed key', async () => {
		const { api, inbox } = harness();
		const empty = await api.post(sendPath(inbox), { to: 'bob@example.com' }, withKey(''));
		expect(empty.status).toBe(400);
		expect(empty.data.code).toBe('validation_error');
		expect(empty.data.message).toContain('Idempotency-Key');
		const bad = await api.post(sendPath(inbox), { to: 'bob@example.com' }, withKey('has@sign'));
		expect(bad.status).toBe(400);
		expect(await outbox(harness())).toEqual([]);
	});

	it('replays a draft send after the draft is gone instead of 404', async () => {
		const { api, inbox } = harness();
		const draft = (await api.post(`/v0/inboxes/${enc(inbox)}/drafts`, { to: ['bob@example.com'], subject: 'approve' })).data;
		const url = `/v0/inboxes/${enc(inbox)}/drafts/${encodeURIComponent(draft.draft_id)}/send`;
		const first = await api.post(url, {}, withKey('approval-1'));
		const retry = await api.post(url, {}, withKey('approval-1'));
		expect(retry.status).toBe(200);
		expect(retry.data).toEqual(first.data);
		const noKey = await api.post(url, {});
		expect(noKey.status).toBe(404);
		expect((await outbox(harness())).length).toBe(1);
	});

	it('a retry while the first attempt still runs is a 409; the first still sends once', async () => {
		const h = harness();
		await addFault(h, { path: '/messages/send', latency_ms: 400 });
		const body = { to: 'bob@example.com', text: 'slow' };
		const first = h.api.post(sendPath(h.inbox), body, withKey('slow-1'));
		await new Promise((resolve) => setTimeout(resolve, 100));
		const concurrent = await h.api.post(sendPath(h.inbox), body, withKey('slow-1'));
		expect(concurrent.status).toBe(409);
		expect(concurrent.data.message).toContain('in progress');
		expect((await first).status).toBe(200);
		expect((await outbox(h)).length).toBe(1);
	});

	it('a failed send releases the key so a corrected retry can go out', async () => {
		const h = harness();
		await h.api.post('/v0/lists/send/block', { entry: 'bob@example.com' });
		const body = { to: 'bob@example.com', text: 'x' };
		const rejected = await h.api.post(sendPath(h.inbox), body, withKey('retry-me'));
		expect(rejected.status).toBe(403);
		await h.api.delete(`/v0/lists/send/block/${enc('bob@example.com')}`);
		const ok = await h.api.post(sendPath(h.inbox), body, withKey('retry-me'));
		expect(ok.status).toBe(200);
		expect((await outbox(h)).length).toBe(1);
	});
});

describe('client_id', () => {
	it('returns the original inbox and draft on a repeated create', async () => {
		const { api, inbox } = harness();
		const a = await api.post('/v0/inboxes', { username: 'a1', client_id: 'inbox.a' });
		const b = await api.post('/v0/inboxes', { username: 'a2', client_id: 'inbox.a' });
		expect(b.status).toBe(200);
		expect(b.data).toEqual(a.data);
		const d1 = await api.post(`/v0/inboxes/${enc(inbox)}/drafts`, { client_id: 'reply-to-msg-1', text: 'first' });
		const d2 = await api.post(`/v0/inboxes/${enc(inbox)}/drafts`, { client_id: 'reply-to-msg-1', text: 'second' });
		expect(d2.data).toEqual(d1.data);
		const bad = await api.post('/v0/inboxes', { client_id: 'has@at' });
		expect(bad.status).toBe(400);
		expect(bad.data.errors[0].path).toEqual(['client_id']);
	});
});
