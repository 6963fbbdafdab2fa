/** Inbox operations of the AgentMail node (create, get, list, update, delete) through n8n-core. */
import type { INodeParameters } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import { am, byId, expectApiError, expectNoRequests, expectOperationError, seedInboxes } from './helpers';

const getEnv = useNodeEnv();

const inbox = (operation: string, params: INodeParameters = {}): INodeParameters => ({
	resource: 'inbox',
	operation,
	...params,
});

describe('inbox: create', () => {
	it('creates from username, domain and display name; outputs inbox_id, email, result; client_id derived', async () => {
		const env = getEnv();
		const run = await env.run([am('Create', inbox('create', { username: 'Support', domain: 'Example.ORG', displayName: 'Support Agent' }))]);
		expect(run.status).toBe('success');
		const [item] = run.json('Create');
		expect(item).toMatchObject({ inbox_id: 'support@example.org', email: 'support@example.org' });
		expect(item.result).toMatchObject({ inbox_id: 'support@example.org', display_name: 'Support Agent', pod_id: expect.any(String) });
		const [request] = await env.requests();
		expect(request.body).toEqual({
			username: 'Support',
			domain: 'example.org',
			display_name: 'Support Agent',
			client_id: expect.stringMatching(/^n8n-inbox-create-[0-9a-f]{40}$/),
		});
	});

	it('is idempotent: a retry after a lost answer returns the inbox the first attempt created', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/v0/inboxes', status: 503, after: true });
		const run = await env.run([am('Create', inbox('create', { username: 'once' }))]);
		expect(run.status).toBe('success');
		const posts = (await env.requests()).filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.status)).toEqual([503, 200]);
		expect(posts[0].body).toEqual(posts[1].body);
		const list = (await env.api.get('/v0/inboxes')).data;
		expect(list.inboxes.filter((i: { email: string }) => i.email === 'once@agentmail.to')).toHaveLength(1);
	});

	it('an explicit Client ID returns the first inbox on a second create; no username means a random one', async () => {
		const env = getEnv();
		const params = inbox('create', { additionalFields: { clientId: 'tenant-42' } });
		const first = await env.run([am('Create', params)]);
		const second = await env.run([am('Create', params)]);
		expect(second.json('Create')[0].inbox_id).toBe(first.json('Create')[0].inbox_id);
		expect(first.json('Create')[0].email).toMatch(/^inbox-[a-z0-9]+@agentmail\.to$/);
	});

	it('refuses bad usernames, domains, display names and client ids before any request', async () => {
		const env = getEnv();
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ username: 'no spaces' }, /^Username "no spaces" is not a valid mailbox name$/],
			[{ username: '-dash' }, /^Username/],
			[{ username: 'a@b' }, /^Username/],
			[{ domain: 'http://x.com' }, /^Domain "http:\/\/x.com" is not a domain name$/],
			[{ domain: 'x..com' }, /^Domain/],
			[{ displayName: 'Evil\r\nBcc: x@evil.test' }, /^Display Name: may not contain line breaks/],
			[{ displayName: 'x'.repeat(257) }, /^Display Name: at most 256 characters$/],
			[{ additionalFields: { clientId: 'a b' } }, /^Client ID may hold only/],
			[{ username: '={{ { a: 1 } }}' }, /^Username: expected text/],
		];
		for (const [params, error] of cases) {
			const run = await env.run([am('Create', inbox('create', params))]);
			expectOperationError(run, 'Create', error);
		}
		await expectNoRequests(env);
	});

	it('a taken address is AgentMail\'s 403; continue-on-fail gives the error item and goes on', async () => {
		const env = getEnv();
		const run = await env.run(
			[am('Create', inbox('create', { username: '={{ $json.u }}', additionalFields: { clientId: '={{ $json.c }}' } }), { onError: 'continueRegularOutput' })],
			{ items: [{ u: 'agent', c: 'c1' }, { u: 'fresh', c: 'c2' }] },
		);
		const [taken, fresh] = run.json('Create');
		expect(taken).toMatchObject({ status: 403, code: 'resource_taken' });
		expect(fresh.email).toBe('fresh@agentmail.to');
	});
});

describe('inbox: get, list, update, delete', () => {
	it('gets an inbox by its address', async () => {
		const env = getEnv();
		const run = await env.run([am('Get', inbox('get', { inboxId: byId(env.inbox) }))]);
		expect(run.json('Get')).toEqual([
			{ inbox_id: env.inbox, email: env.inbox, result: expect.objectContaining({ display_name: 'Sandbox Agent' }) },
		]);
		const missing = await env.run([am('Get', inbox('get', { inboxId: byId('nobody@agentmail.to') }))]);
		expectApiError(missing, 'Get', 404, 'not_found');
	});

	it('lists inboxes newest first, page by page with Return All, oldest first with Ascending, up to Limit', async () => {
		const env = getEnv();
		await seedInboxes(env, 104);
		await env.clearRequests();
		const all = await env.run([am('List', inbox('list', { returnAll: true }))]);
		const items = all.json('List');
		expect(items).toHaveLength(105);
		expect(items[0].email).toBe('seed-104@agentmail.to');
		expect(items[104]).toMatchObject({ inbox_id: env.inbox, email: env.inbox, result: expect.objectContaining({ pod_id: expect.any(String) }) });
		expect((await env.requests()).length).toBe(2);
		const oldest = await env.run([am('List', inbox('list', { returnAll: false, limit: 2, filters: { ascending: true } }))]);
		expect(oldest.json('List').map((i) => i.email)).toEqual([env.inbox, 'seed-001@agentmail.to']);
		const bad = await env.run([am('List', inbox('list', { returnAll: false, limit: 0 }))]);
		expectOperationError(bad, 'List', /^Limit/);
	});

	it('updates the display name; refuses an empty or multi-line one before any request', async () => {
		const env = getEnv();
		const run = await env.run([am('Update', inbox('update', { inboxId: byId(env.inbox), displayName: 'Renamed Agent' }))]);
		expect(run.json('Update')[0]).toMatchObject({ inbox_id: env.inbox, result: { display_name: 'Renamed Agent' } });
		expect((await env.requests())[0].body).toEqual({ display_name: 'Renamed Agent' });
		await env.clearRequests();
		for (const [displayName, error] of [
			['={{ "" }}', /^Display Name is required$/],
			['a\nb', /^Display Name: may not contain line breaks/],
		] as Array<[string, RegExp]>) {
			const bad = await env.run([am('Update', inbox('update', { inboxId: byId(env.inbox), displayName }))]);
			expectOperationError(bad, 'Update', error);
		}
		await expectNoRequests(env);
	});

	it('deletes an inbox; an unknown one is a 404; continue-on-fail', async () => {
		const env = getEnv();
		await seedInboxes(env, 1);
		const run = await env.run(
			[am('Delete', inbox('delete', { inboxId: byId('={{ $json.id }}') }), { onError: 'continueRegularOutput' })],
			{ items: [{ id: 'seed-001@agentmail.to' }, { id: 'nobody@agentmail.to' }, { id: '..' }] },
		);
		const [deleted, missing, bad] = run.json('Delete');
		expect(deleted).toEqual({ inbox_id: 'seed-001@agentmail.to', email: 'seed-001@agentmail.to', success: true });
		expect(missing).toMatchObject({ status: 404, code: 'not_found' });
		expect(bad.error).toMatch(/^Inbox is not a valid id/);
		expect((await env.api.get('/v0/inboxes/seed-001%40agentmail.to')).status).toBe(404);
		expect((await env.requests()).filter((r) => r.method === 'DELETE')).toHaveLength(2);
	});
});
