/**
 * Retries: the transport's own (408/429/5xx and dropped connections, only for
 * calls that are safe to repeat, honouring Retry-After) and n8n's Retry On
 * Fail, both deduplicated by AgentMail through the Idempotency-Key.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { am, byId, expectApiError, header, inboxPath, seedInboxes } from './helpers';

const getEnv = useNodeEnv();

const sendParams = (env: NodeEnv, extra: IDataObject = {}): INodeParameters => ({
	resource: 'message',
	operation: 'send',
	inboxId: byId(env.inbox),
	to: 'customer@example.com',
	subject: 'Once only',
	text: 'Exactly one of me',
	...extra,
});

const retryOnFail: Partial<INode> = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

function keysOf(requests: IDataObject[]): Array<string | undefined> {
	return requests.map((request) => header(request, 'idempotency-key'));
}

const at = (request: IDataObject) => Date.parse(request.received_at as string);

describe('transport retries', () => {
	it('429 with Retry-After: waits as told, retries once, exactly one message is sent', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/messages/send', status: 429, retry_after: 1, count: 1 });
		const run = await env.run([am('Send', sendParams(env))]);
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([429, 200]);
		expect(logged[0].fault_id).toEqual(expect.any(String));
		expect(at(logged[1]) - at(logged[0])).toBeGreaterThanOrEqual(950);
		expect(new Set(keysOf(logged)).size).toBe(1);
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		expect(run.json('Send')[0].message_id).toBe(outbox[0].message_id);
		expect(outbox[0].idempotency_key).toBe(keysOf(logged)[0]);
	});

	it('5xx on a send: retried by the transport with the same Idempotency-Key, sent once', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/messages/send', status: 503, count: 1 });
		const run = await env.run([am('Send', sendParams(env))]);
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([503, 200]);
		expect(keysOf(logged)[0]).toMatch(/^n8n-message-send-/);
		expect(keysOf(logged)[1]).toBe(keysOf(logged)[0]);
		// no Retry-After: exponential back-off, first step 500 ms
		expect(at(logged[1]) - at(logged[0])).toBeGreaterThanOrEqual(450);
		expect(await env.outbox()).toHaveLength(1);
	});

	it('draft send and reply retry the same way (one message each)', async () => {
		const env = getEnv();
		const draft = (await env.api.post(`${inboxPath(env)}/drafts`, { to: ['a@example.com'], text: 'd' })).data;
		const original = (await env.admin.post('/_sandbox/inbound', { inbox_id: env.inbox, from: 'c@example.com', subject: 'q', text: 'q' })).data;
		await env.clearRequests();
		await env.fault({ method: 'POST', path: '/send', status: 502, retry_after: 0, count: 1 });
		await env.fault({ method: 'POST', path: '/reply', status: 500, retry_after: 0, count: 1 });
		const run = await env.run([
			am('Send Draft', { resource: 'draft', operation: 'send', inboxId: byId(env.inbox), draftId: byId(draft.draft_id) }),
			am('Reply', {
				resource: 'message',
				operation: 'reply',
				inboxId: byId(env.inbox),
				messageId: original.message_id,
				text: 'a',
			}),
		]);
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((r) => [r.method, r.status])).toEqual([
			['POST', 502],
			['POST', 200],
			['POST', 500],
			['POST', 200],
		]);
		expect(keysOf(logged)[1]).toBe(keysOf(logged)[0]);
		expect(keysOf(logged)[3]).toBe(keysOf(logged)[2]);
		expect((await env.outbox()).map((m) => m.via)).toEqual(['draft', 'reply']);
	});

	it('reads (GET) are retried after a 503 and after a dropped connection', async () => {
		const env = getEnv();
		await env.fault({ method: 'GET', path: '/drafts', status: 503, retry_after: 0, count: 1 });
		await env.fault({ method: 'GET', path: '/drafts', drop: true, count: 1 });
		const run = await env.run([am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true })]);
		expect(run.status).toBe('success');
		expect(run.json('List')).toEqual([]);
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([503, null, 200]);
		expect(logged[1].dropped).toBe(true);
	});

	it('gives up after 3 attempts with the last AgentMail error', async () => {
		const env = getEnv();
		await env.fault({ method: 'GET', path: '/messages', status: 503, retry_after: 0, count: 5 });
		const run = await env.run([am('List', { resource: 'message', operation: 'list', inboxId: byId(env.inbox), returnAll: true })]);
		expectApiError(run, 'List', 503, 'service_unavailable');
		expect(await env.requests()).toHaveLength(3);
	});

	it('allowlist add (repeating it leaves one entry) is retried', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/lists/', status: 500, retry_after: 0, count: 1 });
		const run = await env.run([
			am('Add', {
				resource: 'allowlist',
				operation: 'add',
				scope: 'organization',
				direction: 'send',
				listType: 'block',
				entry: 'spam.example',
			}),
		]);
		expect(run.status).toBe('success');
		expect((await env.requests()).map((r) => r.status)).toEqual([500, 200]);
		expect((await env.api.get('/v0/lists/send/block')).data.entries).toHaveLength(1);
	});
});

describe('Create Draft: idempotent by default (issue 8, point 2)', () => {
	const create = (env: NodeEnv, additionalFields: INodeParameters = {}) =>
		am('Create', {
			resource: 'draft',
			operation: 'create',
			inboxId: byId(env.inbox),
			to: 'a@example.com',
			subject: 'maybe twice',
			additionalFields,
		});

	it('draft create without Client ID gets a derived client_id, so a 500 is retried: one draft', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/drafts', status: 500, retry_after: 0, count: 1 });
		const run = await env.run([create(env)]);
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([500, 200]);
		const clientIds = logged.map((r) => (r.body as IDataObject).client_id);
		expect(clientIds[0]).toMatch(/^n8n-draft-create-[0-9a-f]{40}$/);
		expect(clientIds[1]).toBe(clientIds[0]);
		expect(header(logged[0], 'idempotency-key')).toBeUndefined();
		expect((await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts).toHaveLength(1);
	});

	it('draft create without Client ID: a 429 with Retry-After and a dropped connection are retried too', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/drafts', status: 429, retry_after: 0, count: 1 });
		await env.fault({ method: 'POST', path: '/drafts', drop: true, count: 1 });
		const run = await env.run([create(env)]);
		expect(run.status).toBe('success');
		expect((await env.requests()).map((r) => r.status)).toEqual([429, null, 200]);
		expect((await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts).toHaveLength(1);
	});

	it('a new execution derives a different client_id, so it creates a new draft', async () => {
		const env = getEnv();
		await env.run([create(env)]);
		await env.run([create(env)]);
		const ids = (await env.requests()).map((r) => (r.body as IDataObject).client_id);
		expect(ids[0]).not.toBe(ids[1]);
		expect((await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts).toHaveLength(2);
	});

	it('draft create WITH Client ID is deduplicated by AgentMail, so it is retried: one draft', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/drafts', status: 500, retry_after: 0, count: 1 });
		const run = await env.run([create(env, { clientId: 'ticket-77' })]);
		expect(run.status).toBe('success');
		expect((await env.requests()).map((r) => r.status)).toEqual([500, 200]);
		const drafts = (await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts;
		expect(drafts).toHaveLength(1);
		expect(drafts[0].draft_id).toBe(run.json('Create')[0].draft_id);
	});
});

describe("n8n's Retry On Fail", () => {
	it('after a 500 on message send leaves exactly one message; every attempt carried the same Idempotency-Key', async () => {
		const env = getEnv();
		// the transport's 3 attempts all fail, so the node fails and n8n retries it
		await env.fault({ method: 'POST', path: '/messages/send', status: 500, retry_after: 0, count: 3 });
		const run = await env.run([am('Send', sendParams(env), retryOnFail)]);
		expect(run.status).toBe('success');
		expect(run.hooks.nodeStarts('Send')).toBe(1);
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([500, 500, 500, 200]);
		const keys = keysOf(logged);
		expect(keys[0]).toMatch(/^n8n-message-send-[0-9a-f]{40}$/);
		expect(new Set(keys)).toEqual(new Set([keys[0]]));
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		expect(outbox[0].idempotency_key).toBe(keys[0]);
		expect(run.json('Send')[0].message_id).toBe(outbox[0].message_id);
	});

	it('re-running the whole node does not send the items that already went out', async () => {
		const env = getEnv();
		const [other] = await seedInboxes(env, 1);
		await env.clearRequests();
		// item 0 (seeded inbox) goes through; item 1 (other inbox) fails 3 times,
		// so n8n runs the node again for both items
		await env.fault({ method: 'POST', path: `/inboxes/${other.inbox_id}/messages/send`, status: 500, retry_after: 0, count: 3 });
		const run = await env.run(
			[am('Send', { ...sendParams(env), inboxId: byId('={{ $json.inbox }}'), subject: '={{ $json.subject }}' }, retryOnFail)],
			{ items: [{ inbox: env.inbox, subject: 'first' }, { inbox: other.inbox_id, subject: 'second' }] },
		);
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((r) => [(r.body as IDataObject).subject, r.status])).toEqual([
			['first', 200],
			['second', 500],
			['second', 500],
			['second', 500],
			['first', 200], // n8n's retry: replayed by AgentMail, not sent again
			['second', 200],
		]);
		expect(header(logged[4], 'idempotency-key')).toBe(header(logged[0], 'idempotency-key'));
		expect(header(logged[5], 'idempotency-key')).toBe(header(logged[1], 'idempotency-key'));
		expect(header(logged[0], 'idempotency-key')).not.toBe(header(logged[1], 'idempotency-key'));
		const outbox = await env.outbox();
		expect(outbox.map((m) => m.subject)).toEqual(['first', 'second']);
		expect(run.json('Send').map((j) => j.message_id)).toEqual(outbox.map((m) => m.message_id));
	});

	it('a new execution of the same workflow sends again, with a different key', async () => {
		const env = getEnv();
		const first = await env.run([am('Send', sendParams(env))]);
		const second = await env.run([am('Send', sendParams(env))]);
		expect(first.status).toBe('success');
		expect(second.status).toBe('success');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(2);
		expect(outbox[0].idempotency_key).not.toBe(outbox[1].idempotency_key);
		expect(keysOf(await env.requests())).toEqual([outbox[0].idempotency_key, outbox[1].idempotency_key]);
	});
});

describe("Create Draft × Retry On Fail when AgentMail fails after creating (issue 8, point 2)", () => {
	const createScheduled = (env: NodeEnv) =>
		am(
			'Create',
			{
				resource: 'draft',
				operation: 'create',
				inboxId: byId(env.inbox),
				to: 'customer@example.com',
				subject: '={{ "Reminder " + $json.n }}',
				text: 'Once only',
				additionalFields: { sendAt: '2099-06-01T09:00:00Z' },
			},
			retryOnFail,
		);

	it.each([1, 3])('%i item(s): after-processing 500 on every transport attempt, then n8n retries: exactly one draft per item', async (count) => {
		const env = getEnv();
		// the transport's 3 attempts of item 0 all create-or-find and then answer 500; n8n runs the node again
		await env.fault({ method: 'POST', path: '/drafts', status: 500, retry_after: 0, after: true, count: 3 });
		const items = Array.from({ length: count }, (_, n) => ({ n }));
		const run = await env.run([createScheduled(env)], { items });
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.slice(0, 3).map((r) => [r.status, r.processed_status])).toEqual([
			[500, 200],
			[500, 200],
			[500, 200],
		]);
		expect(logged).toHaveLength(3 + count);
		const drafts = (await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts as IDataObject[];
		expect(drafts).toHaveLength(count);
		expect(drafts.every((d) => d.send_status === 'scheduled')).toBe(true);
		expect(new Set(run.json('Create').map((j) => j.draft_id))).toEqual(new Set(drafts.map((d) => d.draft_id)));
	});

	it('a dropped connection after the create, for 3 items: exactly 3 drafts', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/drafts', drop: true, after: true, count: 4 });
		const run = await env.run([createScheduled(env)], { items: [{ n: 0 }, { n: 1 }, { n: 2 }] });
		expect(run.status).toBe('success');
		expect((await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts).toHaveLength(3);
	});

	it('an explicit Client ID still wins over the derived one', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Create', {
				resource: 'draft',
				operation: 'create',
				inboxId: byId(env.inbox),
				to: 'a@example.com',
				additionalFields: { clientId: 'order-1234' },
			}),
		]);
		expect(run.status).toBe('success');
		expect(((await env.requests())[0].body as IDataObject).client_id).toBe('order-1234');
	});
});
