/**
 * Ids as real mail systems mint them (issue 8, point 1): RFC 5322
 * Message-IDs may hold any atext character, `/` included, and the sandbox
 * mints draft and message ids with `/`, `+`, `=` and `?`. Every operation
 * must accept them and send them as one percent-encoded path segment.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import { am, byId, createDraft, enc, expectNoRequests, inbound, inboxPath, listSearch, readDraft, runWith } from './helpers';

const getEnv = useNodeEnv();

const SPECIAL = /[/+=?]/;

describe('ids with "/", "+", "=" and "?"', () => {
	it('the sandbox mints draft and message ids with all four characters', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['a@example.com'], subject: 's' });
		const message = await inbound(env, { from: 'c@example.com', subject: 'q', text: 'q' });
		for (const id of [String(draft.draft_id), String(message.message_id)]) {
			expect(id).toMatch(/\//);
			expect(id).toMatch(/\+/);
			expect(id).toMatch(/=/);
			expect(id).toMatch(/\?/);
		}
	});

	it('draft Get, Update, Send and Delete work, each id one %2F-encoded segment', async () => {
		const env = getEnv();
		const kept = await createDraft(env, { to: ['a@example.com'], subject: 'kept' });
		const gone = await createDraft(env, { to: ['b@example.com'], subject: 'gone' });
		await env.clearRequests();
		const params = (operation: string, id: unknown, extra: IDataObject = {}) => ({
			resource: 'draft',
			operation,
			inboxId: byId(env.inbox),
			draftId: byId(String(id)),
			...extra,
		});
		const run = await env.run([
			am('Get', params('get', kept.draft_id)),
			am('Update', params('update', kept.draft_id, { updateFields: { subject: 'updated' } })),
			am('Send', params('send', kept.draft_id)),
			am('Delete', params('delete', gone.draft_id)),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')[0].draft_id).toBe(kept.draft_id);
		expect(run.json('Update')[0].result).toMatchObject({ subject: 'updated' });
		expect(run.json('Send')[0].draft_id).toBe(kept.draft_id);
		expect(run.json('Delete')[0]).toEqual({ draft_id: gone.draft_id, success: true });
		const paths = (await env.requests()).map((request) => request.path);
		const base = `${inboxPath(env)}/drafts`;
		expect(paths).toEqual([
			`${base}/${enc(String(kept.draft_id))}`,
			`${base}/${enc(String(kept.draft_id))}`,
			`${base}/${enc(String(kept.draft_id))}/send`,
			`${base}/${enc(String(gone.draft_id))}`,
		]);
		for (const path of paths) expect(String(path)).toContain('%2F');
		expect((await readDraft(env, String(gone.draft_id))).status).toBe(404);
		expect(await env.outbox()).toHaveLength(1);
	});

	it('message Get, Reply and Label work with such a Message-ID', async () => {
		const env = getEnv();
		const original = await inbound(env, { from: 'customer@example.com', subject: 'Question', text: 'Hi?' });
		const id = String(original.message_id);
		expect(id).toMatch(SPECIAL);
		await env.clearRequests();
		const params = (operation: string, extra: IDataObject = {}) => ({
			resource: 'message',
			operation,
			inboxId: byId(env.inbox),
			messageId: id,
			...extra,
		});
		const run = await env.run([
			am('Get', params('get')),
			am('Reply', params('reply', { text: 'Answer' })),
			am('Label', params('label', { addLabels: 'answered' })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')[0].message_id).toBe(id);
		expect(run.json('Label')[0].labels).toContain('answered');
		const [reply] = await env.outbox();
		expect(reply).toMatchObject({ via: 'reply', in_reply_to: id });
		const paths = (await env.requests()).map((request) => request.path);
		expect(paths).toEqual([
			`${inboxPath(env)}/messages/${enc(id)}`,
			`${inboxPath(env)}/messages/${enc(id)}/reply`,
			`${inboxPath(env)}/messages/${enc(id)}`,
		]);
	});

	it('the Draft picker lists such a draft, and the picked value works in Get', async () => {
		const env = getEnv();
		const created = await createDraft(env, { to: ['a@example.com'], subject: 'picked' });
		const picker = await listSearch(env, 'searchDrafts', {
			resource: 'draft',
			operation: 'get',
			inboxId: byId(env.inbox),
			draftId: { __rl: true, mode: 'list', value: '' },
		});
		const picked = picker.results.find((result) => result.value === created.draft_id);
		expect(picked).toBeDefined();
		const run = await env.run([
			am('Get', {
				resource: 'draft',
				operation: 'get',
				inboxId: byId(env.inbox),
				draftId: { __rl: true, mode: 'list', value: picked!.value },
			}),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')[0].subject).toBe('picked');
	});

	it('a "/" in an id cannot climb out of its segment: "drf_1/../drf_2" is one segment and answers 404', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('drf_1/../drf_2') }),
		]);
		expect(run.status).toBe('error');
		const [request] = await env.requests();
		expect(request.path).toBe(`${inboxPath(env)}/drafts/drf_1%2F..%2Fdrf_2`);
		expect(request.status).toBe(404);
	});
});

describe('locators without an expression (read once per execution)', () => {
	const items = (count: number): INodeExecutionData[] => Array.from({ length: count }, (_, index) => ({ json: { index } }));

	it('a fixed inbox serves every item; a draft id from an expression differs per item', async () => {
		const env = getEnv();
		const first = await createDraft(env, { to: ['a@example.com'], subject: 'first' });
		const second = await createDraft(env, { to: ['b@example.com'], subject: 'second' });
		const ids = [String(first.draft_id), String(second.draft_id)];
		const run = await runWith(
			env,
			[
				am('Get', {
					resource: 'draft',
					operation: 'get',
					inboxId: byId(env.inbox),
					draftId: byId(`={{ ${JSON.stringify(ids)}[$json.index] }}`),
				}),
			],
			{ startItems: items(2) },
		);
		expect(run.status).toBe('success');
		expect(run.json('Get').map((item) => item.subject)).toEqual(['first', 'second']);
	});

	it('an invalid fixed id fails every item, each with its own item index (On Error: Continue)', async () => {
		const env = getEnv();
		const run = await runWith(
			env,
			[
				am(
					'Get',
					{ resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('..') },
					{ onError: 'continueRegularOutput' },
				),
			],
			{ startItems: items(3) },
		);
		expect(run.status).toBe('success');
		const out = run.output('Get');
		expect(out).toHaveLength(3);
		out.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(/^Draft is not a valid id/);
		});
		await expectNoRequests(env);
	});
});
