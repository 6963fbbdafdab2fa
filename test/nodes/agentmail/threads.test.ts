/**
 * Thread operations of the AgentMail node (list, get, update labels, delete)
 * and the thread picker, through n8n-core against the sandbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useNodeEnv, type NodeEnv } from '../setup';
import {
	am,
	byId,
	expectApiError,
	expectNoRequests,
	expectOperationError,
	inbound,
	listSearch,
	readMessage,
	sendMessage,
} from './helpers';

const getEnv = useNodeEnv();

const thread = (operation: string, params: INodeParameters = {}): INodeParameters => ({
	resource: 'thread',
	operation,
	...params,
});

/** We write, the customer answers, and so on: `length` messages in one thread. */
async function conversation(env: NodeEnv, subject: string, length = 2) {
	const first = await sendMessage(env, { to: ['customer@example.com'], subject, text: 'm0' });
	const ids = [first.message_id as string];
	for (let i = 1; i < length; i++) {
		const next = await inbound(env, { from: 'customer@example.com', subject: `Re: ${subject}`, text: `m${i}`, in_reply_to: ids[ids.length - 1] });
		ids.push(next.message_id as string);
	}
	return { threadId: first.thread_id as string, ids };
}

describe('thread: list', () => {
	it('lists the threads of an inbox, most recent first, one item each with thread_id, inbox_id, message_count, subject, result', async () => {
		const env = getEnv();
		const a = await conversation(env, 'Order A', 3);
		const b = await conversation(env, 'Order B', 1);
		await env.clearRequests();
		const run = await env.run([am('List', thread('list', { inboxId: byId(env.inbox), returnAll: true }))]);
		expect(run.status).toBe('success');
		const items = run.json('List');
		expect(items.map((i) => [i.thread_id, i.inbox_id, i.message_count, i.subject])).toEqual([
			[b.threadId, env.inbox, 1, 'Order B'],
			[a.threadId, env.inbox, 3, 'Order A'],
		]);
		expect(items[1].result).toMatchObject({ last_message_id: a.ids[2], senders: expect.any(Array), labels: expect.any(Array) });
		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/threads`);
	});

	it('organization scope, labels / after / ascending filters and Limit', async () => {
		const env = getEnv();
		await env.admin.post('/_sandbox/seed', { inboxes: [{ username: 'sales' }] });
		const own = await conversation(env, 'own', 1);
		const other = await env.api.post('/v0/inboxes/sales%40agentmail.to/messages/send', { to: 'x@example.com', subject: 'other', text: '.', labels: ['vip'] });
		await env.clearRequests();
		const org = await env.run([am('List', thread('list', { scope: 'organization', returnAll: false, limit: 1 }))]);
		expect(org.json('List').map((i) => [i.inbox_id, i.subject])).toEqual([['sales@agentmail.to', 'other']]);
		const [request] = await env.requests();
		expect(request.decoded_path).toBe('/v0/threads');
		expect(request.query).toMatchObject({ limit: '1' });
		const vip = await env.run([am('List', thread('list', { scope: 'organization', returnAll: true, filters: { labels: 'vip' } }))]);
		expect(vip.json('List').map((i) => i.thread_id)).toEqual([other.data.thread_id]);
		const ascending = await env.run([am('List', thread('list', { scope: 'organization', returnAll: true, filters: { ascending: true } }))]);
		expect(ascending.json('List').map((i) => i.subject)).toEqual(['own', 'other']);
		const ownThread = (await env.api.get(`/v0/threads/${encodeURIComponent(own.threadId)}`)).data;
		const after = await env.run([
			am('List', thread('list', { scope: 'organization', returnAll: true, filters: { after: ownThread.timestamp } })),
		]);
		expect(after.json('List').map((i) => i.subject)).toEqual(['other']);
	});

	it('Return All follows the pages (more than 100 threads)', async () => {
		const env = getEnv();
		for (let i = 0; i < 105; i++) await inbound(env, { from: `c${i}@example.com`, subject: `t${i}`, text: '.' });
		await env.clearRequests();
		const run = await env.run([am('List', thread('list', { inboxId: byId(env.inbox), returnAll: true }))]);
		expect(run.json('List')).toHaveLength(105);
		expect((await env.requests()).length).toBe(2);
	});

	it('refuses bad filters before any request; an unknown inbox is a 404', async () => {
		const env = getEnv();
		const bad = await env.run([am('List', thread('list', { inboxId: byId(env.inbox), returnAll: false, limit: 500 }))]);
		expectOperationError(bad, 'List', /^Limit/);
		const badDate = await env.run([am('List', thread('list', { inboxId: byId(env.inbox), returnAll: true, filters: { before: 'yesterday' } }))]);
		expectOperationError(badDate, 'List', /^Before/);
		await expectNoRequests(env);
		const missing = await env.run([am('List', thread('list', { inboxId: byId('nobody@agentmail.to'), returnAll: true }))]);
		expectApiError(missing, 'List', 404, 'not_found');
	});
});

describe('thread: get', () => {
	it('outputs the thread with every message, oldest first, following AgentMail\'s message pages', async () => {
		const env = getEnv();
		const { threadId, ids } = await conversation(env, 'Long', 103);
		await env.clearRequests();
		const run = await env.run([am('Get', thread('get', { inboxId: byId(env.inbox), threadId: byId(threadId) }))]);
		expect(run.status).toBe('success');
		const [item] = run.json('Get');
		expect(item).toMatchObject({ thread_id: threadId, inbox_id: env.inbox, message_count: 103, subject: 'Long' });
		const result = item.result as IDataObject;
		const messages = result.messages as IDataObject[];
		expect(messages.map((m) => m.message_id)).toEqual(ids);
		expect(messages[102]).toMatchObject({ text: 'm102', from: 'customer@example.com' });
		expect(result).not.toHaveProperty('next_page_token');
		expect(result).not.toHaveProperty('count');
		const logged = await env.requests();
		expect(logged).toHaveLength(2);
		expect(logged[1].query).toMatchObject({ page_token: expect.any(String) });
	});

	it('uses the thread_id of the previous node by default (Send -> Get Thread)', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Send', { resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'a@example.com', subject: 'chain', text: 'x' }),
			am('Get', thread('get', { inboxId: byId(env.inbox) })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')[0]).toMatchObject({ thread_id: run.json('Send')[0].thread_id, message_count: 1, subject: 'chain' });
	});

	it('refuses a bad thread id before any request; 404 for an unknown thread; continue-on-fail', async () => {
		const env = getEnv();
		const { threadId } = await conversation(env, 'x', 1);
		await env.clearRequests();
		for (const bad of ['..', 'thd\r\n1', '={{ { a: 1 } }}']) {
			const run = await env.run([am('Get', thread('get', { inboxId: byId(env.inbox), threadId: byId(bad) }))]);
			expectOperationError(run, 'Get', /^Thread/);
		}
		await expectNoRequests(env);
		const missing = await env.run([am('Get', thread('get', { inboxId: byId(env.inbox), threadId: byId('thd_missing') }))]);
		expectApiError(missing, 'Get', 404, 'not_found');
		const run = await env.run(
			[am('Get', thread('get', { inboxId: byId(env.inbox), threadId: byId('={{ $json.id }}') }), { onError: 'continueRegularOutput' })],
			{ items: [{ id: 'thd_missing' }, { id: threadId }] },
		);
		const [first, second] = run.json('Get');
		expect(first).toMatchObject({ status: 404, code: 'not_found' });
		expect(second.thread_id).toBe(threadId);
	});
});

describe('thread: update labels', () => {
	it('adds and removes labels on every message of the thread; outputs thread_id, inbox_id, labels, result', async () => {
		const env = getEnv();
		const { threadId, ids } = await conversation(env, 'Refund', 2);
		await env.clearRequests();
		const run = await env.run([
			am('Label', thread('updateLabels', { inboxId: byId(env.inbox), threadId: byId(threadId), addLabels: 'escalated, vip', removeLabels: 'unread' })),
		]);
		expect(run.status).toBe('success');
		const [item] = run.json('Label');
		expect(item).toMatchObject({ thread_id: threadId, inbox_id: env.inbox });
		expect([...(item.labels as string[])].sort()).toEqual(['escalated', 'received', 'sent', 'vip']);
		expect(item.result).toEqual({ thread_id: threadId, labels: item.labels });
		const [request] = await env.requests();
		expect(request.body).toEqual({ add_labels: ['escalated', 'vip'], remove_labels: ['unread'] });
		for (const id of ids) expect((await readMessage(env, id)).data.labels).toEqual(expect.arrayContaining(['escalated', 'vip']));
	});

	it('refuses no labels or bad labels before any request; a system label is AgentMail\'s 400 with its per-field errors', async () => {
		const env = getEnv();
		const { threadId } = await conversation(env, 'x', 1);
		await env.clearRequests();
		const none = await env.run([am('Label', thread('updateLabels', { inboxId: byId(env.inbox), threadId: byId(threadId) }))]);
		expectOperationError(none, 'Label', /^Labels to Add or Labels to Remove: give at least one label$/);
		const bad = await env.run([am('Label', thread('updateLabels', { inboxId: byId(env.inbox), threadId: byId(threadId), addLabels: 'bad\u0000label' }))]);
		expectOperationError(bad, 'Label', /^Labels to Add/);
		await expectNoRequests(env);
		const system = await env.run(
			[am('Label', thread('updateLabels', { inboxId: byId(env.inbox), threadId: byId(threadId), removeLabels: 'sent' }), { onError: 'continueRegularOutput' })],
		);
		expect(system.json('Label')[0]).toMatchObject({ status: 400, code: 'validation_error', errors: [{ path: ['remove_labels', 0] }] });
	});
});

describe('thread: delete', () => {
	it('deletes the thread and its messages permanently; a 404 for an unknown one; continue-on-fail', async () => {
		const env = getEnv();
		const { threadId, ids } = await conversation(env, 'gone', 2);
		await env.clearRequests();
		const run = await env.run(
			[am('Delete', thread('delete', { inboxId: byId(env.inbox), threadId: byId('={{ $json.id }}') }), { onError: 'continueRegularOutput' })],
			{ items: [{ id: threadId }, { id: 'thd_missing' }] },
		);
		const [deleted, missing] = run.json('Delete');
		expect(deleted).toEqual({ thread_id: threadId, inbox_id: env.inbox, success: true });
		expect(missing).toMatchObject({ status: 404, code: 'not_found' });
		for (const id of ids) expect((await readMessage(env, id)).status).toBe(404);
		const stop = await env.run([am('Delete', thread('delete', { inboxId: byId(env.inbox), threadId: byId(threadId) }))]);
		expectApiError(stop, 'Delete', 404, 'not_found');
	});

	it('a retry after the first attempt deleted it but the answer was lost counts as done', async () => {
		const env = getEnv();
		const { threadId } = await conversation(env, 'retry', 1);
		await env.fault({ method: 'DELETE', path: '/threads/', status: 503, after: true });
		const run = await env.run([am('Delete', thread('delete', { inboxId: byId(env.inbox), threadId: byId(threadId) }))]);
		expect(run.status).toBe('success');
		expect(run.json('Delete')).toEqual([{ thread_id: threadId, inbox_id: env.inbox, success: true }]);
		const deletes = (await env.requests()).filter((r) => r.method === 'DELETE');
		expect(deletes.map((r) => r.status)).toEqual([503, 404]);
	});
});

describe('thread picker', () => {
	it('lists the inbox\'s threads by subject, message count and senders, filtered by text', async () => {
		const env = getEnv();
		const a = await conversation(env, 'Broken widget', 2);
		await conversation(env, 'Invoice', 1);
		const all = await listSearch(env, 'searchThreads', { inboxId: byId(env.inbox) }, undefined, undefined, 'parameters.threadId');
		expect(all.results.map((r) => r.name)).toEqual([
			'Invoice (1) · Sandbox Agent <agent@agentmail.to>',
			'Broken widget (2) · Sandbox Agent <agent@agentmail.to>, customer@example.com',
		]);
		const filtered = await listSearch(env, 'searchThreads', { inboxId: byId(env.inbox) }, 'widget', undefined, 'parameters.threadId');
		expect(filtered.results).toEqual([{ name: expect.stringContaining('Broken widget'), value: a.threadId }]);
		const noInbox = await listSearch(env, 'searchThreads', {}, undefined, undefined, 'parameters.threadId');
		expect(noInbox.results).toEqual([]);
	});
});
