/**
 * Allow/block list operations of the AgentMail node (add, get, list, remove)
 * at organization and inbox scope.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { am, byId, enc, expectNoRequests, expectOperationError, inboxPath } from './helpers';

const getEnv = useNodeEnv();

type Scope = 'organization' | 'inbox';

function allowlist(operation: string, scope: Scope, params: INodeParameters): INodeParameters {
	const env = getEnv();
	return {
		resource: 'allowlist',
		operation,
		scope,
		...(scope === 'inbox' ? { inboxId: byId(env.inbox) } : {}),
		...params,
	};
}

/** The collection path of a list at a scope, as the API names it. */
function collection(env: NodeEnv, scope: Scope, direction: string, listType: string): string {
	return `${scope === 'inbox' ? inboxPath(env) : '/v0'}/lists/${direction}/${listType}`;
}

async function addViaApi(env: NodeEnv, scope: Scope, direction: string, listType: string, entry: string) {
	const response = await env.api.post(collection(env, scope, direction, listType), { entry });
	expect(response.status).toBe(200);
	return response.data as IDataObject;
}

describe.each<Scope>(['organization', 'inbox'])('allowlist at %s scope', (scope) => {
	it('add: a domain to the send block list with a reason', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Add',
				allowlist('add', scope, {
					direction: 'send',
					listType: 'block',
					entry: '  Spam.Example.COM ',
					reason: 'Asked not to be contacted',
				}),
			),
		]);
		expect(run.status).toBe('success');
		const path = collection(env, scope, 'send', 'block');
		const stored = await env.api.get(`${path}/spam.example.com`);
		expect(stored.status).toBe(200);
		expect(run.json('Add')).toEqual([
			{ entry: 'spam.example.com', direction: 'send', list_type: 'block', entry_type: 'domain', result: stored.data },
		]);
		expect(stored.data).toMatchObject({ reason: 'Asked not to be contacted', entry: 'spam.example.com' });
		if (scope === 'inbox') expect(stored.data.inbox_id).toBe(env.inbox);
		else expect(stored.data.inbox_id).toBeUndefined();

		const [request] = await env.requests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe(path);
		expect(request.body).toEqual({ entry: 'spam.example.com', reason: 'Asked not to be contacted' });
	});

	it('add: an address to the receive allow list (a reason is not sent for allow lists)', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Add',
				allowlist('add', scope, { direction: 'receive', listType: 'allow', entry: 'Boss@Example.com', reason: 'ignored' }),
			),
		]);
		expect(run.status).toBe('success');
		const [out] = run.json('Add');
		expect(out).toMatchObject({ entry: 'boss@example.com', direction: 'receive', list_type: 'allow', entry_type: 'email' });
		expect((await env.requests())[0].body).toEqual({ entry: 'boss@example.com' });
		const path = collection(env, scope, 'receive', 'allow');
		expect((await env.api.get(`${path}/${enc('boss@example.com')}`)).data).toEqual(out.result);
		// the other scope's list is untouched
		const other = collection(env, scope === 'inbox' ? 'organization' : 'inbox', 'receive', 'allow');
		expect((await env.api.get(other)).data.entries).toEqual([]);
	});

	it('get: outputs entry, direction, list_type, entry_type, result', async () => {
		const env = getEnv();
		const created = await addViaApi(env, scope, 'reply', 'block', 'noreply@example.com');
		await env.clearRequests();
		const run = await env.run([
			am('Get', allowlist('get', scope, { direction: 'reply', listType: 'block', entry: 'NoReply@example.com' })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')).toEqual([
			{ entry: 'noreply@example.com', direction: 'reply', list_type: 'block', entry_type: 'email', result: created },
		]);
		expect((await env.requests())[0].decoded_path).toBe(
			`${scope === 'inbox' ? `/v0/inboxes/${env.inbox}` : '/v0'}/lists/reply/block/noreply@example.com`,
		);
	});

	it('list: one item per entry, sorted by entry; Return All and Limit', async () => {
		const env = getEnv();
		for (const entry of ['delta.example.com', 'alpha@example.com', 'charlie.example.com', 'bravo@example.com']) {
			await addViaApi(env, scope, 'send', 'allow', entry);
		}
		await addViaApi(env, scope, 'send', 'block', 'other.example.com');
		const stored = (await env.api.get(collection(env, scope, 'send', 'allow'))).data.entries as IDataObject[];
		await env.clearRequests();

		const all = await env.run([am('List', allowlist('list', scope, { direction: 'send', listType: 'allow', returnAll: true }))]);
		expect(all.status).toBe('success');
		expect(all.json('List')).toEqual(
			stored.map((entry) => ({
				entry: entry.entry,
				direction: 'send',
				list_type: 'allow',
				entry_type: entry.entry_type,
				result: entry,
			})),
		);
		expect(all.json('List').map((e) => e.entry)).toEqual([
			'alpha@example.com',
			'bravo@example.com',
			'charlie.example.com',
			'delta.example.com',
		]);
		expect(all.output('List').map((item) => item.pairedItem)).toEqual(stored.map(() => ({ item: 0 })));

		const limited = await env.run([am('List', allowlist('list', scope, { direction: 'send', listType: 'allow', limit: 3 }))]);
		expect(limited.json('List').map((e) => e.entry)).toEqual(['alpha@example.com', 'bravo@example.com', 'charlie.example.com']);
		expect((await env.requests()).map((r) => r.query)).toEqual([{ limit: '100' }, { limit: '3' }]);
	});

	it('remove: outputs {entry, success: true} and the entry is gone', async () => {
		const env = getEnv();
		await addViaApi(env, scope, 'send', 'block', 'gone@example.com');
		await addViaApi(env, scope, 'send', 'block', 'stays@example.com');
		await env.clearRequests();
		const run = await env.run([
			am('Remove', allowlist('remove', scope, { direction: 'send', listType: 'block', entry: 'gone@example.com' })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Remove')).toEqual([{ entry: 'gone@example.com', success: true }]);
		const [request] = await env.requests();
		expect(request.method).toBe('DELETE');
		expect(request.status).toBe(204);
		const path = collection(env, scope, 'send', 'block');
		expect((await env.api.get(`${path}/${enc('gone@example.com')}`)).status).toBe(404);
		expect(((await env.api.get(path)).data.entries as IDataObject[]).map((e) => e.entry)).toEqual(['stays@example.com']);
	});
});

describe('allowlist: the lists the node writes are the ones AgentMail enforces', () => {
	it('a send block added at inbox scope stops a message send from that inbox; removing it lets it through', async () => {
		const env = getEnv();
		const block = await env.run([
			am('Block', allowlist('add', 'inbox', { direction: 'send', listType: 'block', entry: 'blocked.example' })),
		]);
		expect(block.status).toBe('success');
		const send = () =>
			env.run([
				am('Send', {
					resource: 'message',
					operation: 'send',
					inboxId: byId(env.inbox),
					to: 'someone@blocked.example',
					text: 'hi',
				}),
			]);
		expect((await send()).status).toBe('error');
		expect(await env.outbox()).toEqual([]);

		const unblock = await env.run([
			am('Unblock', allowlist('remove', 'inbox', { direction: 'send', listType: 'block', entry: 'blocked.example' })),
		]);
		expect(unblock.json('Unblock')).toEqual([{ entry: 'blocked.example', success: true }]);
		expect((await send()).status).toBe('success');
		expect((await env.outbox()).map((m) => m.to)).toEqual([['someone@blocked.example']]);
	});
});

describe('allowlist: bad input fails the item before any request', () => {
	const cases: Array<[string, () => INodeParameters, RegExp]> = [
		[
			'add: a URL is neither an address nor a domain',
			() => allowlist('add', 'organization', { direction: 'send', listType: 'block', entry: 'https://example.com' }),
			/^Entry: "https:\/\/example.com" is neither an email address nor a domain$/,
		],
		[
			'add: words with spaces',
			() => allowlist('add', 'inbox', { direction: 'send', listType: 'allow', entry: 'not an entry' }),
			/^Entry: "not an entry" is neither an email address nor a domain$/,
		],
		[
			'add: empty entry (from an expression)',
			() => allowlist('add', 'organization', { direction: 'receive', listType: 'allow', entry: '={{ $json.nothing }}' }),
			/^Entry: "" is neither an email address nor a domain$/,
		],
		[
			'add: half an address',
			() => allowlist('add', 'organization', { direction: 'send', listType: 'allow', entry: 'user@' }),
			/^Entry: "user@" is neither/,
		],
		[
			'add: a bare word without a TLD',
			() => allowlist('add', 'organization', { direction: 'send', listType: 'allow', entry: 'localhost' }),
			/^Entry: "localhost" is neither/,
		],
		[
			'get: an entry with a path in it',
			() => allowlist('get', 'organization', { direction: 'send', listType: 'block', entry: 'example.com/../lists' }),
			/^Entry: "example.com\/..\/lists" is neither/,
		],
		[
			'remove: ".."',
			() => allowlist('remove', 'organization', { direction: 'send', listType: 'block', entry: '..' }),
			/^Entry: "\.\." is neither/,
		],
		[
			'list: inbox scope with an inbox id containing a tab',
			() => ({ ...allowlist('list', 'inbox', { direction: 'send', listType: 'block', returnAll: true }), inboxId: byId('x\ty') }),
			/^Inbox is not a valid id: it may not contain control characters$/,
		],
		[
			'remove: inbox scope with inbox id ".."',
			() => ({ ...allowlist('remove', 'inbox', { direction: 'send', listType: 'block', entry: 'a@example.com' }), inboxId: byId('..') }),
			/^Inbox is not a valid id/,
		],
		[
			'list: a direction given by expression that is not one of send, receive, reply',
			() => allowlist('list', 'organization', { direction: '={{ "forward" }}', listType: 'block', returnAll: true }),
			/^Direction must be one of send, receive, reply$/,
		],
	];

	it.each(cases)('%s', async (_name, params, error) => {
		const env = getEnv();
		const run = await env.run([am('List Entry', params())]);
		expectOperationError(run, 'List Entry', error);
		await expectNoRequests(env);
	});
});
