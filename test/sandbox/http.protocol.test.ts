/** Wire details the SDK hides: query encodings, percent-encoded ids, pagination, auth codes, envelopes. */
import { enc, inbound, useSandbox } from './helpers';

const harness = useSandbox();

async function draftsWithLabels(labels: string[][]) {
	const h = harness();
	for (const [i, set] of labels.entries()) {
		const res = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, { subject: `d${i}`, labels: set });
		expect(res.status).toBe(200);
	}
}

const subjects = (body: { drafts: Array<{ subject: string }> }) => body.drafts.map((d) => d.subject).sort();

describe('query parameters', () => {
	it('accepts labels as a JSON array (TypeScript SDK), repeated (Python SDK) and indexed', async () => {
		await draftsWithLabels([['a'], ['a', 'b'], ['b']]);
		const { api, inbox } = harness();
		const base = `/v0/inboxes/${enc(inbox)}/drafts`;
		const json = await api.get(`${base}?labels=${enc('["a","b"]')}`);
		const repeated = await api.get(`${base}?labels=a&labels=b`);
		const indexed = await api.get(`${base}?labels%5B0%5D=a&labels%5B1%5D=b`);
		for (const res of [json, repeated, indexed]) {
			expect(res.status).toBe(200);
			expect(subjects(res.data)).toEqual(['d1']);
		}
		const single = await api.get(`${base}?labels=b`);
		expect(subjects(single.data)).toEqual(['d1', 'd2']);
		const orgLevel = await api.get(`/v0/drafts?labels=${enc('["a"]')}`);
		expect(subjects(orgLevel.data)).toEqual(['d0', 'd1']);
	});

	it('rejects malformed query values with 400 validation_error', async () => {
		const { api, inbox } = harness();
		const base = `/v0/inboxes/${enc(inbox)}/drafts`;
		for (const query of ['labels=%5B%22a%22', 'limit=0', 'limit=abc', 'ascending=yes', 'before=yesterday']) {
			const res = await api.get(`${base}?${query}`);
			expect(res.status).toBe(400);
			expect(res.data).toMatchObject({ name: 'ValidationError', code: 'validation_error' });
			expect(res.data.errors[0].path).toHaveLength(1);
		}
	});

	it('filters by before/after on the sort time', async () => {
		const { api, inbox } = harness();
		const base = `/v0/inboxes/${enc(inbox)}/drafts`;
		const a = (await api.post(base, { subject: 'early' })).data;
		await new Promise((resolve) => setTimeout(resolve, 5));
		const b = (await api.post(base, { subject: 'late' })).data;
		const after = await api.get(`${base}?after=${enc(a.updated_at)}`);
		expect(after.data.drafts.map((d: { draft_id: string }) => d.draft_id)).toEqual([b.draft_id]);
		const before = await api.get(`${base}?before=${enc(b.updated_at)}`);
		expect(before.data.drafts.map((d: { draft_id: string }) => d.draft_id)).toEqual([a.draft_id]);
	});
});

describe('path ids', () => {
	it('decodes percent-encoded inbox ids and message ids', async () => {
		const h = harness();
		const received = await inbound(h, { from: 'bob@example.com', subject: 'ids', text: 'x' });
		expect(received.message_id).toMatch(/^<[a-z0-9]+\/[a-z0-9]+\+[a-z0-9]+=[a-z0-9]+\?[a-z0-9]+@agentmail\.to>$/);
		const url = `/v0/inboxes/${enc(h.inbox)}/messages/${enc(received.message_id)}`;
		expect(url).toContain('%3C');
		const res = await h.api.get(url);
		expect(res.status).toBe(200);
		expect(res.data.message_id).toBe(received.message_id);
		expect(res.data.inbox_id).toBe('agent@agentmail.to');
		const mixedCase = await h.api.get(`/v0/inboxes/${enc('Agent@AgentMail.to')}`);
		expect(mixedCase.data.inbox_id).toBe('agent@agentmail.to');
		const log = (await h.http.get('/_sandbox/requests')).data.requests;
		expect(log[0].path).toBe(`/v0/inboxes/agent%40agentmail.to/messages/${enc(received.message_id)}`);
		expect(log[0].decoded_path).toBe(`/v0/inboxes/agent@agentmail.to/messages/${received.message_id}`);
	});

	it('answers 400 for a malformed escape and 404 with the envelope for an unknown route', async () => {
		const { api } = harness();
		const bad = await api.get('/v0/inboxes/%E0%A4%A');
		expect(bad.status).toBe(400);
		const unknown = await api.get('/v0/widgets');
		expect(unknown.status).toBe(404);
		expect(unknown.data).toMatchObject({ name: 'NotFoundError', code: 'not_found' });
		expect(unknown.data.message).toContain('GET /v0/widgets');
		const wrongMethod = await api.put('/v0/inboxes');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.allow).toContain('GET');
	});
});

describe('pagination', () => {
	it('walks all pages with next_page_token, omitted on the last page', async () => {
		const h = harness();
		for (let i = 0; i < 7; i++) await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'bob@example.com', subject: `m${i}` });
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const res = await h.api.get(`/v0/inboxes/${enc(h.inbox)}/messages`, { params: { limit: 3, page_token: token } });
			expect(res.status).toBe(200);
			expect(res.data.limit).toBe(3);
			expect(res.data.count).toBe(res.data.messages.length);
			seen.push(...res.data.messages.map((m: { subject: string }) => m.subject));
			token = res.data.next_page_token;
			if (token === undefined) expect(res.data).not.toHaveProperty('next_page_token');
			pages += 1;
		} while (token);
		expect(pages).toBe(3);
		expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
	});

	it('keeps the position when earlier items disappear between pages', async () => {
		const h = harness();
		const base = `/v0/inboxes/${enc(h.inbox)}/drafts`;
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) ids.push((await h.api.post(base, { subject: `d${i}` })).data.draft_id);
		const first = await h.api.get(base, { params: { limit: 2 } });
		expect(first.data.drafts.map((d: { subject: string }) => d.subject)).toEqual(['d3', 'd2']);
		for (const d of first.data.drafts) expect((await h.api.delete(`${base}/${encodeURIComponent(d.draft_id)}`)).status).toBe(204);
		const second = await h.api.get(base, { params: { limit: 2, page_token: first.data.next_page_token } });
		expect(second.data.drafts.map((d: { subject: string }) => d.subject)).toEqual(['d1', 'd0']);
	});

	it('rejects a bad page_token, or one from another query, with 400', async () => {
		const h = harness();
		for (let i = 0; i < 3; i++) await h.api.post(`/v0/inboxes/${enc(h.inbox)}/drafts`, { subject: `d${i}` });
		const garbage = await h.api.get(`/v0/inboxes/${enc(h.inbox)}/drafts?page_token=not-a-token`);
		expect(garbage.status).toBe(400);
		expect(garbage.data.code).toBe('validation_error');
		expect(garbage.data.errors[0].path).toEqual(['page_token']);
		const token = (await h.api.get(`/v0/inboxes/${enc(h.inbox)}/drafts?limit=1`)).data.next_page_token;
		const elsewhere = await h.api.get(`/v0/inboxes?limit=1&page_token=${token}`);
		expect(elsewhere.status).toBe(400);
	});
});

describe('auth and envelopes', () => {
	it('401 codes: missing_authorization, invalid_token_type, unknown_api_key', async () => {
		const { http } = harness();
		const missing = await http.get('/v0/inboxes');
		expect(missing.status).toBe(401);
		expect(missing.data).toMatchObject({ name: 'UnauthorizedError', code: 'missing_authorization' });
		expect(missing.data.fix).toContain('Authorization: Bearer');
		const basic = await http.get('/v0/inboxes', { headers: { Authorization: 'Basic abc' } });
		expect(basic.data.code).toBe('invalid_token_type');
		const lowercase = await http.get('/v0/inboxes', { headers: { Authorization: 'bearer am_sandbox_local_key' } });
		expect(lowercase.data.code).toBe('invalid_token_type');
		const unknown = await http.get('/v0/inboxes', { headers: { Authorization: 'Bearer am_nope' } });
		expect(unknown.status).toBe(401);
		expect(unknown.data.code).toBe('unknown_api_key');
	});

	it('200 JSON on create/get/list/update/send, 204 without body on delete', async () => {
		const { api, inbox } = harness();
		const base = `/v0/inboxes/${enc(inbox)}/drafts`;
		const created = await api.post(base, { subject: 's' });
		expect(created.status).toBe(200);
		expect(created.headers['content-type']).toContain('application/json');
		expect((await api.patch(`${base}/${encodeURIComponent(created.data.draft_id)}`, { subject: 't' })).status).toBe(200);
		const deleted = await api.delete(`${base}/${encodeURIComponent(created.data.draft_id)}`);
		expect(deleted.status).toBe(204);
		expect(deleted.headers['content-length']).toBeUndefined();
		expect(deleted.data).toBe('');
	});

	it('400 validation errors list each issue with path and message; unknown fields are rejected', async () => {
		const { api, inbox } = harness();
		const res = await api.post(`/v0/inboxes/${enc(inbox)}/drafts`, { sendAt: '2030-01-01T00:00:00Z', to: 'bob@example.com' });
		expect(res.status).toBe(400);
		expect(res.data.name).toBe('ValidationError');
		expect(res.data.code).toBe('validation_error');
		expect(res.data.errors).toEqual(
			expect.arrayContaining([
				{ path: ['to'], message: expect.any(String) },
				{ path: [], message: expect.stringContaining("'sendAt'") },
			]),
		);
		const json = await api.post(`/v0/inboxes/${enc(inbox)}/drafts`, '{not json', {
			headers: { 'Content-Type': 'application/json' },
			transformRequest: [(data: string) => data],
		});
		expect(json.status).toBe(400);
		expect(json.data.message).toContain('not valid JSON');
	});

	it('draft send accepts an empty body as well as {}', async () => {
		const { api, inbox } = harness();
		const base = `/v0/inboxes/${enc(inbox)}/drafts`;
		for (const body of [undefined, {}]) {
			const draft = (await api.post(base, { to: ['bob@example.com'] })).data;
			const res = await api.post(`${base}/${encodeURIComponent(draft.draft_id)}/send`, body);
			expect(res.status).toBe(200);
			expect(Object.keys(res.data).sort()).toEqual(['message_id', 'thread_id']);
		}
	});
});
