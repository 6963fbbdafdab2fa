/** Allow/block precedence on sends (AGENTMAIL_API.md §4.2): the narrowest scope with a match decides. */
import { enc, outbox, useSandbox, type Harness } from './helpers';

const harness = useSandbox();

async function entry(h: Harness, scope: 'org' | 'inbox', type: 'allow' | 'block', value: string) {
	const base = scope === 'org' ? '/v0/lists' : `/v0/inboxes/${enc(h.inbox)}/lists`;
	const res = await h.api.post(`${base}/send/${type}`, { entry: value });
	expect(res.status).toBe(200);
}

async function send(h: Harness, to: string) {
	return h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to, text: 'x' });
}

describe('send list precedence', () => {
	it('without lists everything goes out', async () => {
		const h = harness();
		expect((await send(h, 'anyone@anywhere.com')).status).toBe(200);
	});

	it('an inbox allow entry overrides an org block entry', async () => {
		const h = harness();
		await entry(h, 'org', 'block', 'partner.com');
		expect((await send(h, 'bob@partner.com')).status).toBe(403);
		await entry(h, 'inbox', 'allow', 'bob@partner.com');
		expect((await send(h, 'bob@partner.com')).status).toBe(200);
		expect((await send(h, 'alice@partner.com')).status).toBe(403);
	});

	it('an inbox block entry overrides an org allow entry', async () => {
		const h = harness();
		await entry(h, 'org', 'allow', 'partner.com');
		await entry(h, 'inbox', 'block', 'partner.com');
		const res = await send(h, 'bob@partner.com');
		expect(res.status).toBe(403);
		expect(res.data.message).toContain('inbox agent@agentmail.to');
		expect(res.data.fix).toContain(`DELETE /v0/inboxes/${enc(h.inbox)}/lists/send/block/partner.com`);
	});

	it('an org allow entry admits a recipient an active inbox allow list lacks', async () => {
		const h = harness();
		await entry(h, 'inbox', 'allow', 'a.com');
		await entry(h, 'org', 'allow', 'b.com');
		expect((await send(h, 'x@a.com')).status).toBe(200);
		expect((await send(h, 'x@b.com')).status).toBe(200);
		const miss = await send(h, 'x@c.com');
		expect(miss.status).toBe(403);
		expect(miss.data.fix).toContain(`POST /v0/inboxes/${enc(h.inbox)}/lists/send/allow`);
	});

	it('an email entry beats a domain entry of the same scope; block wins a tie', async () => {
		const h = harness();
		await entry(h, 'org', 'block', 'corp.com');
		await entry(h, 'org', 'allow', 'ceo@corp.com');
		expect((await send(h, 'ceo@corp.com')).status).toBe(200);
		expect((await send(h, 'intern@corp.com')).status).toBe(403);
		await entry(h, 'org', 'allow', 'corp.com');
		expect((await send(h, 'intern@corp.com')).status).toBe(403);
	});

	it('an empty allow list is inactive; an org allow list rejects unlisted recipients', async () => {
		const h = harness();
		await entry(h, 'org', 'allow', 'ok.com');
		const res = await send(h, 'someone@elsewhere.com');
		expect(res.status).toBe(403);
		expect(res.data).toMatchObject({ name: 'MessageRejectedError', code: 'message_rejected' });
		expect(res.data.fix).toContain('POST /v0/lists/send/allow');
		await h.api.delete('/v0/lists/send/allow/ok.com');
		expect((await send(h, 'someone@elsewhere.com')).status).toBe(200);
	});

	it('one rejected recipient stops the whole message; all rejected ones are named', async () => {
		const h = harness();
		await entry(h, 'org', 'block', 'bad.com');
		const res = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, {
			to: ['good@ok.com', 'one@bad.com'],
			bcc: ['two@bad.com'],
		});
		expect(res.status).toBe(403);
		expect(res.data.message).toContain('one@bad.com');
		expect(res.data.message).toContain('two@bad.com');
		expect(await outbox(h)).toEqual([]);
	});

	it('lists are enforced on reply, reply-all, forward, draft send and scheduled send', async () => {
		const h = harness();
		const inbound = (await h.http.post('/_sandbox/inbound', { inbox_id: h.inbox, from: 'eve@bad.com', subject: 's' })).data;
		await entry(h, 'org', 'block', 'bad.com');
		const base = `/v0/inboxes/${enc(h.inbox)}/messages/${enc(inbound.message_id)}`;
		expect((await h.api.post(`${base}/reply`, { text: 'x' })).status).toBe(403);
		expect((await h.api.post(`${base}/reply-all`, { text: 'x' })).status).toBe(403);
		expect((await h.api.post(`${base}/forward`, { to: 'eve@bad.com' })).status).toBe(403);
		const draft = (await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, { to: ['eve@bad.com'] })).data;
		expect((await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts/${encodeURIComponent(draft.draft_id)}/send`)).status).toBe(403);
		await h.api.patch(`/v0/inboxes/${enc(h.inbox)}/drafts/${encodeURIComponent(draft.draft_id)}`, {
			send_at: new Date(Date.now() + 50).toISOString(),
		});
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect((await h.api.get(`/v0/drafts/${encodeURIComponent(draft.draft_id)}`)).data.send_status).toBe('failed');
		expect(await outbox(h)).toEqual([]);
	});
});
