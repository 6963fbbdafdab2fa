/**
 * The resource-locator list searches (Inbox and Draft pickers), called through
 * n8n-core's LoadOptionsContext exactly as the editor's
 * /dynamic-node-parameters/resource-locator-results endpoint does.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import { byId, createDraft, listSearch, seedInboxes } from './helpers';

const getEnv = useNodeEnv();

const inboxPicker: INodeParameters = {
	resource: 'draft',
	operation: 'list',
	inboxId: { __rl: true, mode: 'list', value: '' },
};

describe('searchInboxes (Inbox picker)', () => {
	it('pages past 100 inboxes: 100 and a paginationToken, then the rest', async () => {
		const env = getEnv();
		await seedInboxes(env, 150); // + the seeded agent@agentmail.to = 151
		await env.clearRequests();

		const first = await listSearch(env, 'searchInboxes', inboxPicker);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toEqual(expect.any(String));
		// newest first: the last seeded inbox leads
		expect(first.results[0]).toEqual({ name: 'Seed Inbox 150 <seed-150@agentmail.to>', value: 'seed-150@agentmail.to' });

		const second = await listSearch(env, 'searchInboxes', inboxPicker, undefined, first.paginationToken);
		expect(second.results).toHaveLength(51);
		expect(second.paginationToken).toBeUndefined();
		expect(second.results[second.results.length - 1]).toEqual({
			name: `Sandbox Agent <${env.inbox}>`,
			value: env.inbox,
		});

		const all = [...first.results, ...second.results].map((r) => r.value);
		expect(new Set(all).size).toBe(151);
		const api = (await env.api.get('/v0/inboxes', { params: { limit: 1000 } })).data.inboxes as Array<{ inbox_id: string }>;
		expect(all).toEqual(api.map((inbox) => inbox.inbox_id));

		const logged = await env.requests();
		expect(logged.filter((r) => r.decoded_path === '/v0/inboxes').map((r) => r.query)).toEqual([
			{ limit: '100' },
			{ limit: '100', page_token: first.paginationToken },
			{ limit: '1000' },
		]);
		expect(logged[0].headers).toMatchObject({ authorization: 'Bearer [redacted]' });
	});

	it('a filter narrows the results (matched on name and address, across pages)', async () => {
		const env = getEnv();
		await seedInboxes(env, 150);
		const filtered = await listSearch(env, 'searchInboxes', inboxPicker, 'SEED-14');
		expect(filtered.results.map((r) => r.value)).toEqual(
			Array.from({ length: 10 }, (_, i) => `seed-${149 - i}@agentmail.to`),
		);
		expect(filtered.paginationToken).toBeUndefined();

		const byName = await listSearch(env, 'searchInboxes', inboxPicker, 'sandbox agent');
		expect(byName.results).toEqual([{ name: `Sandbox Agent <${env.inbox}>`, value: env.inbox }]);

		const none = await listSearch(env, 'searchInboxes', inboxPicker, 'no-such-inbox');
		expect(none).toEqual({ results: [], paginationToken: undefined });
	});

	it('the picked value runs the node (mode "list")', async () => {
		const env = getEnv();
		const [inbox] = await seedInboxes(env, 1);
		const { results } = await listSearch(env, 'searchInboxes', inboxPicker, 'seed-001');
		expect(results.map((r) => r.value)).toEqual([inbox.inbox_id]);
		const run = await env.run([
			{
				name: 'List',
				type: 'n8n-nodes-agentmail-hitl.agentMail',
				typeVersion: 1,
				parameters: { ...inboxPicker, returnAll: true, inboxId: { __rl: true, mode: 'list', value: results[0].value } },
			},
		]);
		expect(run.status).toBe('success');
		expect((await env.requests()).pop()?.decoded_path).toBe(`/v0/inboxes/${inbox.inbox_id}/drafts`);
	});
});

describe('searchDrafts (Draft picker)', () => {
	it('lists the drafts of the chosen inbox as "subject → recipients", filterable', async () => {
		const env = getEnv();
		const a = await createDraft(env, { to: ['alice@example.com'], subject: 'Invoice 12' });
		const b = await createDraft(env, { to: ['bob@example.com', 'carol@example.com'], text: 'no subject' });
		const [other] = await seedInboxes(env, 1);
		await createDraft(env, { to: ['x@example.com'], subject: 'Elsewhere' }, other.inbox_id as string);
		const params: INodeParameters = {
			resource: 'draft',
			operation: 'get',
			inboxId: byId(env.inbox),
			draftId: { __rl: true, mode: 'list', value: '' },
		};

		const all = await listSearch(env, 'searchDrafts', params);
		expect(all).toEqual({
			results: [
				{ name: '(no subject) → bob@example.com, carol@example.com', value: b.draft_id },
				{ name: 'Invoice 12 → alice@example.com', value: a.draft_id },
			],
			paginationToken: undefined,
		});

		const filtered = await listSearch(env, 'searchDrafts', params, 'invoice');
		expect(filtered.results.map((r) => r.value)).toEqual([a.draft_id]);

		const byDraftId = await listSearch(env, 'searchDrafts', params, String(b.draft_id));
		expect(byDraftId.results.map((r) => r.value)).toEqual([b.draft_id]);
	});

	it('pages past 100 drafts', async () => {
		const env = getEnv();
		for (let i = 0; i < 120; i++) await createDraft(env, { to: ['bulk@example.com'], subject: `d${i}` });
		const params: INodeParameters = {
			resource: 'draft',
			operation: 'get',
			inboxId: byId(env.inbox),
			draftId: { __rl: true, mode: 'list', value: '' },
		};
		const first = await listSearch(env, 'searchDrafts', params);
		expect(first.results).toHaveLength(100);
		const second = await listSearch(env, 'searchDrafts', params, undefined, first.paginationToken);
		expect(second.results).toHaveLength(20);
		expect(second.paginationToken).toBeUndefined();
		expect(second.results[19].name).toBe('d0 → bulk@example.com');
	});

	it('without an inbox chosen it returns nothing and makes no request', async () => {
		const env = getEnv();
		const result = await listSearch(env, 'searchDrafts', {
			resource: 'draft',
			operation: 'get',
			inboxId: { __rl: true, mode: 'list', value: '' },
			draftId: { __rl: true, mode: 'list', value: '' },
		});
		expect(result).toEqual({ results: [] });
		expect(await env.requests()).toEqual([]);
	});

	it('an inbox id ".." is refused before any request', async () => {
		const env = getEnv();
		await expect(
			listSearch(env, 'searchDrafts', {
				resource: 'draft',
				operation: 'get',
				inboxId: byId('..'),
				draftId: { __rl: true, mode: 'list', value: '' },
			}),
		).rejects.toThrow('Inbox is not a valid id: it may not be "." or ".."');
		expect(await env.requests()).toEqual([]);
	});
});
