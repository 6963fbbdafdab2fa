/**
 * API errors through the shared transport (NodeApiError with AgentMail's
 * status/code/message/fix), multi-item runs, and On Error handling.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { am, byId, createDraft, expectApiError, inboxPath, readDraft } from './helpers';

const getEnv = useNodeEnv();

/** Repeats a request the node made, directly, to read AgentMail's own error body. */
async function replay(env: NodeEnv, request: IDataObject): Promise<{ status: number; data: IDataObject }> {
	const response = await env.api.request({
		method: request.method as string,
		url: request.url as string,
		data: request.body ?? undefined,
	});
	return { status: response.status, data: response.data };
}

describe('404 from AgentMail: NodeApiError with status 404 and AgentMail code/message', () => {
	const cases: Array<[string, (env: NodeEnv) => INodeParameters]> = [
		['draft get', (env) => ({ resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('drf_missing') })],
		[
			'draft update',
			(env) => ({
				resource: 'draft',
				operation: 'update',
				inboxId: byId(env.inbox),
				draftId: byId('drf_missing'),
				updateFields: { subject: 'x' },
			}),
		],
		['draft send', (env) => ({ resource: 'draft', operation: 'send', inboxId: byId(env.inbox), draftId: byId('drf_missing') })],
		['draft delete', (env) => ({ resource: 'draft', operation: 'delete', inboxId: byId(env.inbox), draftId: byId('drf_missing') })],
		['draft list of an unknown inbox', () => ({ resource: 'draft', operation: 'list', inboxId: byId('nobody@agentmail.to'), returnAll: true })],
		['message get', (env) => ({ resource: 'message', operation: 'get', inboxId: byId(env.inbox), messageId: '<missing@agentmail.to>' })],
		[
			'message reply',
			(env) => ({ resource: 'message', operation: 'reply', inboxId: byId(env.inbox), messageId: '<missing@agentmail.to>', text: 'x' }),
		],
		[
			'message label',
			(env) => ({ resource: 'message', operation: 'label', inboxId: byId(env.inbox), messageId: '<missing@agentmail.to>', addLabels: 'x' }),
		],
		[
			'message send from an unknown inbox',
			() => ({ resource: 'message', operation: 'send', inboxId: byId('nobody@agentmail.to'), to: 'a@example.com', text: 'x' }),
		],
		[
			'allowlist get (organization)',
			() => ({ resource: 'allowlist', operation: 'get', scope: 'organization', direction: 'send', listType: 'block', entry: 'a@example.com' }),
		],
		[
			'allowlist remove (inbox)',
			(env) => ({
				resource: 'allowlist',
				operation: 'remove',
				scope: 'inbox',
				inboxId: byId(env.inbox),
				direction: 'receive',
				listType: 'allow',
				entry: 'example.com',
			}),
		],
	];

	it.each(cases)('%s', async (_name, params) => {
		const env = getEnv();
		const run = await env.run([am('Op', params(env))]);
		const error = expectApiError(run, 'Op', 404, 'not_found');
		const logged = await env.requests();
		expect(logged).toHaveLength(1); // a 404 is not retried
		expect(logged[0].status).toBe(404);
		const original = await replay(env, logged[0]);
		expect(original.status).toBe(404);
		expect(error.message).toBe(`AgentMail 404 not_found: ${original.data.message}`);
		expect(error.context.agentMail).toEqual(
			expect.objectContaining({ status: 404, code: 'not_found', message: original.data.message }),
		);
		expect(error.description).toContain(original.data.docs as string);
		expect(await env.outbox()).toEqual([]);
	});
});

describe('403 message_rejected: a send blocked by a send list says which entry blocked it', () => {
	async function blockAddress(env: NodeEnv) {
		const run = await env.run([
			am('Block', {
				resource: 'allowlist',
				operation: 'add',
				scope: 'organization',
				direction: 'send',
				listType: 'block',
				entry: 'blocked@example.com',
				reason: 'unsubscribed',
			}),
		]);
		expect(run.status).toBe('success');
		await env.clearRequests();
	}

	const FIX = 'Remove the block entry "blocked@example.com" with DELETE /v0/lists/send/block/blocked%40example.com, or send to another recipient.';

	it('message send: error names the recipient and the entry (fix); nothing is sent', async () => {
		const env = getEnv();
		await blockAddress(env);
		const run = await env.run([
			am('Send', {
				resource: 'message',
				operation: 'send',
				inboxId: byId(env.inbox),
				to: 'fine@example.com, blocked@example.com',
				text: 'hello',
			}),
		]);
		const error = expectApiError(run, 'Send', 403, 'message_rejected');
		expect(error.message).toMatch(/^AgentMail 403 message_rejected: Message rejected: Recipient blocked@example.com is on the send block list/);
		expect(error.message).toContain('Nothing was sent');
		expect(error.description).toContain(FIX);
		expect((error.context.agentMail as IDataObject).fix).toBe(FIX);
		expect(await env.requests()).toHaveLength(1); // 403 is final
		expect(await env.outbox()).toEqual([]);
	});

	it('draft send: same error, the draft is kept', async () => {
		const env = getEnv();
		await blockAddress(env);
		const created = await createDraft(env, { to: ['blocked@example.com'], subject: 's', text: 't' });
		const run = await env.run([
			am('Send', { resource: 'draft', operation: 'send', inboxId: byId(env.inbox), draftId: byId(created.draft_id as string) }),
		]);
		const error = expectApiError(run, 'Send', 403, 'message_rejected');
		expect((error.context.agentMail as IDataObject).fix).toBe(FIX);
		expect((await readDraft(env, created.draft_id as string)).status).toBe(200);
		expect(await env.outbox()).toEqual([]);
	});

	it('with continueRegularOutput the item is {error, code, status, fix}', async () => {
		const env = getEnv();
		await blockAddress(env);
		const run = await env.run(
			[
				am(
					'Send',
					{ resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: '={{ $json.to }}', text: 'hello' },
					{ onError: 'continueRegularOutput' },
				),
			],
			{ items: [{ to: 'blocked@example.com' }, { to: 'fine@example.com' }] },
		);
		expect(run.status).toBe('success');
		const [rejected, sent] = run.json('Send');
		expect(rejected).toEqual({
			error: expect.stringMatching(/^AgentMail 403 message_rejected: Message rejected: Recipient blocked@example.com/),
			code: 'message_rejected',
			status: 403,
			fix: FIX,
		});
		expect(sent.message_id).toEqual(expect.any(String));
		expect((await env.outbox()).map((m) => m.to)).toEqual([['fine@example.com']]);
	});

	it('an active allow list rejects an unlisted recipient, fix says how to allow it', async () => {
		const env = getEnv();
		const allow = await env.run([
			am('Allow', {
				resource: 'allowlist',
				operation: 'add',
				scope: 'inbox',
				inboxId: byId(env.inbox),
				direction: 'send',
				listType: 'allow',
				entry: 'partner.example',
			}),
		]);
		expect(allow.status).toBe('success');
		const run = await env.run([
			am('Send', { resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'stranger@example.com', text: 'x' }),
		]);
		const error = expectApiError(run, 'Send', 403, 'message_rejected');
		expect((error.context.agentMail as IDataObject).fix).toBe(
			`Add the recipient (or its domain) with POST ${inboxPath(env)}/lists/send/allow {"entry":"stranger@example.com"}, or send to an allowed recipient.`,
		);
	});
});

describe('400 from AgentMail: validation details are shown', () => {
	it('a system label on a draft is refused by AgentMail with its message', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Create', {
				resource: 'draft',
				operation: 'create',
				inboxId: byId(env.inbox),
				to: 'a@example.com',
				additionalFields: { labels: 'sent' },
			}),
		]);
		const error = expectApiError(run, 'Create', 400, 'validation_error');
		const [request] = await env.requests();
		expect(request.status).toBe(400);
		const original = await replay(env, request);
		expect(error.message).toBe(`AgentMail 400 validation_error: ${original.data.message}`);
		expect(original.data.message).toMatch(/sent/);
	});
});

describe('multi-item runs', () => {
	const items = [
		{ to: 'first@example.com', subject: 'first' },
		{ to: 'second@example.com', subject: 'second' },
		{ to: 'third@example.com', subject: 'third' },
	];

	it('processes 3 items in order, each output paired to its input item', async () => {
		const env = getEnv();
		const run = await env.run(
			[
				am('Create', {
					resource: 'draft',
					operation: 'create',
					inboxId: byId(env.inbox),
					to: '={{ $json.to }}',
					subject: '={{ $json.subject }}',
					text: '={{ "Body of " + $json.subject }}',
				}),
			],
			{ items },
		);
		expect(run.status).toBe('success');
		const output = run.output('Create');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output.map((item) => (item.json.result as IDataObject).subject)).toEqual(['first', 'second', 'third']);
		expect(output.map((item) => (item.json.result as IDataObject).to)).toEqual([
			['first@example.com'],
			['second@example.com'],
			['third@example.com'],
		]);
		const logged = await env.requests();
		expect(logged.map((r) => (r.body as IDataObject).subject)).toEqual(['first', 'second', 'third']);
		expect(logged.map((r) => (r.body as IDataObject).text)).toEqual(['Body of first', 'Body of second', 'Body of third']);
		for (const item of output) {
			expect((await readDraft(env, item.json.draft_id as string)).data.subject).toBe((item.json.result as IDataObject).subject);
		}
	});

	it('list operations pair every result item to the input item it came from', async () => {
		const env = getEnv();
		await createDraft(env, { to: ['a@example.com'], subject: 'a', labels: ['red'] });
		await createDraft(env, { to: ['b@example.com'], subject: 'b', labels: ['blue'] });
		await createDraft(env, { to: ['c@example.com'], subject: 'c', labels: ['blue'] });
		const run = await env.run(
			[am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true, filters: { labels: '={{ $json.label }}' } })],
			{ items: [{ label: 'red' }, { label: 'blue' }] },
		);
		expect(run.output('List').map((item) => [item.pairedItem, item.json.subject])).toEqual([
			[{ item: 0 }, 'a'],
			[{ item: 1 }, 'c'],
			[{ item: 1 }, 'b'],
		]);
	});

	it('without On Error, with Concurrency 1, the run stops at the first failing item: later items are not processed', async () => {
		const env = getEnv();
		const run = await env.run(
			[
				am('Send', {
					resource: 'message',
					operation: 'send',
					inboxId: byId(env.inbox),
					to: '={{ $json.to }}',
					text: 'x',
					requestOptions: { concurrency: 1 },
				}),
			],
			{ items: [{ to: 'one@example.com' }, { to: 'broken' }, { to: 'three@example.com' }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('To: "broken" is not a valid email address');
		expect(run.taskData('Send').error?.context?.itemIndex).toBe(1);
		expect((await env.outbox()).map((m) => m.to)).toEqual([['one@example.com']]);
	});
});

describe('On Error', () => {
	async function setup() {
		const env = getEnv();
		const existing = await createDraft(env, { to: ['a@example.com'], subject: 'exists' });
		await env.clearRequests();
		const items = [{ id: existing.draft_id }, { id: 'drf_missing' }, { id: '..' }, { id: existing.draft_id }];
		const get = (onError: 'continueRegularOutput' | 'continueErrorOutput') =>
			am(
				'Get',
				{ resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('={{ $json.id }}') },
				{ onError },
			);
		return { env, existing, items, get };
	}

	it('continueRegularOutput: failing items become {error, code, status}; the others succeed', async () => {
		const { env, existing, items, get } = await setup();
		const run = await env.run([get('continueRegularOutput')], { items });
		expect(run.status).toBe('success');
		const output = run.output('Get');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(output[0].json).toMatchObject({ draft_id: existing.draft_id, subject: 'exists' });
		expect(output[1].json).toEqual({ error: 'AgentMail 404 not_found: Draft not found', code: 'not_found', status: 404 });
		expect(output[2].json).toEqual({ error: 'Draft is not a valid id: it may not be "." or ".."' });
		expect(output[3].json).toMatchObject({ draft_id: existing.draft_id });
		// the invalid id never reached AgentMail
		expect((await env.requests()).map((r) => r.decoded_path)).toEqual([
			`/v0/inboxes/${env.inbox}/drafts/${existing.draft_id}`,
			`/v0/inboxes/${env.inbox}/drafts/drf_missing`,
			`/v0/inboxes/${env.inbox}/drafts/${existing.draft_id}`,
		]);
	});

	it('continueErrorOutput: exactly the failing items go to output 1, paired to their inputs', async () => {
		const { env, existing, items, get } = await setup();
		const run = await env.run([get('continueErrorOutput')], { items });
		expect(run.status).toBe('success');
		const success = run.output('Get', 0);
		const failed = run.output('Get', 1) as Array<INodeExecutionData & { error?: IDataObject }>;
		expect(success.map((item) => [item.pairedItem, item.json.draft_id])).toEqual([
			[{ item: 0 }, existing.draft_id],
			[{ item: 3 }, existing.draft_id],
		]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(failed.map((item) => item.json.error)).toEqual([
			'AgentMail 404 not_found: Draft not found',
			'Draft is not a valid id: it may not be "." or ".."',
		]);
		// the error itself travels with the item (n8n keeps only `error` in its json)
		expect(failed[0].error?.name).toBe('NodeApiError');
		expect((failed[0].error?.context as IDataObject).agentMail).toMatchObject({ status: 404, code: 'not_found' });
		expect(failed[1].error?.name).toBe('NodeOperationError');
	});

	it('continueRegularOutput on a send: the good items are sent exactly once each', async () => {
		const env = getEnv();
		const run = await env.run(
			[
				am(
					'Send',
					{ resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: '={{ $json.to }}', text: 'x' },
					{ onError: 'continueRegularOutput' },
				),
			],
			{ items: [{ to: 'one@example.com' }, { to: '' }, { to: 'three@example.com' }] },
		);
		expect(run.status).toBe('success');
		expect(run.json('Send')[1]).toEqual({ error: 'To needs at least one email address' });
		expect((await env.outbox()).map((m) => m.to)).toEqual([['one@example.com'], ['three@example.com']]);
		expect(await env.requests()).toHaveLength(2);
	});
});
