/**
 * Request Options → Concurrency, the shared rate-limit state, 429 retries
 * within a time budget, and one credential read per execution: all through
 * n8n-core against the sandbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TestCredentialsHelper } from '../../harness';
import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { MAX_START_BATCH, startBatchSizes } from '../../../nodes/AgentMail/actions/router';
import { am, byId, createDraft, expectApiError, header, inboxPath } from './helpers';

const getEnv = useNodeEnv();

const at = (request: IDataObject) => Date.parse(request.received_at as string);

function sendParams(env: NodeEnv, extra: IDataObject = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		inboxId: byId(env.inbox),
		to: '={{ $json.to }}',
		subject: '={{ $json.subject }}',
		text: 'x',
		...extra,
	};
}

const recipients = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ to: `r${index}@example.com`, subject: `s${index}` }));

afterEach(() => jest.restoreAllMocks());

describe('Concurrency', () => {
	it('keeps input order and pairedItem when answers arrive out of order', async () => {
		const env = getEnv();
		const drafts: IDataObject[] = [];
		for (let index = 0; index < 6; index++) drafts.push(await createDraft(env, { to: ['a@example.com'], subject: `d${index}` }));
		// The first two drafts answer slowly: later items finish first.
		for (const draft of drafts.slice(0, 2)) {
			await env.fault({ method: 'GET', path: String(draft.draft_id), latency_ms: 300, count: 1 });
		}
		await env.clearRequests();
		const run = await env.run(
			[am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), requestOptions: { concurrency: 3 } })],
			{ items: drafts.map((draft) => ({ draft_id: draft.draft_id })) },
		);
		expect(run.status).toBe('success');
		expect(run.output('Get').map((item) => [item.pairedItem, item.json.subject])).toEqual(
			drafts.map((draft, index) => [{ item: index }, draft.subject]),
		);
		// They did run at once: the third request arrived before the first one was answered.
		const logged = await env.requests();
		expect(logged).toHaveLength(6);
		const first = logged.find((request) => String(request.decoded_path).endsWith(String(drafts[0].draft_id)))!;
		const third = logged.find((request) => String(request.decoded_path).endsWith(String(drafts[2].draft_id)))!;
		expect(at(third)).toBeLessThan(at(first) + Number(first.duration_ms));
	});

	it('Continue On Fail: each failure stays at its item, paired with it', async () => {
		const env = getEnv();
		const run = await env.run(
			[am('Send', sendParams(env, { requestOptions: { concurrency: 4 } }), { onError: 'continueRegularOutput' })],
			{ items: [{ to: 'a@example.com' }, { to: 'broken' }, { to: 'c@example.com' }, { to: 'also broken' }, { to: 'e@example.com' }] },
		);
		expect(run.status).toBe('success');
		expect(run.output('Send').map((item) => [item.pairedItem, item.json.error ? 'error' : 'sent'])).toEqual([
			[{ item: 0 }, 'sent'],
			[{ item: 1 }, 'error'],
			[{ item: 2 }, 'sent'],
			[{ item: 3 }, 'error'],
			[{ item: 4 }, 'sent'],
		]);
		expect(await env.outbox()).toHaveLength(3);
	});

	it('items start in batches of 1, 2, 4, … up to 1,000', () => {
		expect(startBatchSizes(0)).toEqual([]);
		expect(startBatchSizes(1)).toEqual([1]);
		expect(startBatchSizes(6)).toEqual([1, 2, 3]);
		const many = startBatchSizes(2500);
		expect(many).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_START_BATCH, 477]);
	});

	it('On Error Stop: a bad input fails its batch before any of the batch\'s requests; no later item makes one', async () => {
		const env = getEnv();
		// Batches [0], [1, 2], [3, 4, 5, 6]: item 5 is broken.
		const items: IDataObject[] = recipients(7);
		items[5] = { to: 'broken' };
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { concurrency: 2 } }))], { items });
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('To: "broken" is not a valid email address');
		expect(run.taskData('Send').error?.context?.itemIndex).toBe(5);
		// The first two batches were sent; of the third, checked before its requests, nothing was.
		expect((await env.outbox()).map((message) => (message.to as string[])[0]).sort()).toEqual(['r0@example.com', 'r1@example.com', 'r2@example.com']);
		expect(await env.requests()).toHaveLength(3);
	});

	it('On Error Stop after an API failure: the items already making requests finish, no later item makes one', async () => {
		const env = getEnv();
		const drafts: IDataObject[] = [];
		for (let index = 0; index < 3; index++) drafts.push(await createDraft(env, { to: ['a@example.com'], subject: `d${index}` }));
		await env.fault({ method: 'GET', path: String(drafts[0].draft_id), latency_ms: 300, count: 1 });
		await env.clearRequests();
		const run = await env.run(
			[am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), requestOptions: { concurrency: 2 } })],
			{ items: [{ draft_id: drafts[0].draft_id }, { draft_id: 'drf_missing' }, { draft_id: drafts[1].draft_id }, { draft_id: drafts[2].draft_id }] },
		);
		expectApiError(run, 'Get', 404, 'not_found');
		expect(run.taskData('Get').error?.context?.itemIndex).toBe(1);
		// Item 0 was in flight next to item 1 and was answered; items 2 and 3 never asked.
		const logged = await env.requests();
		expect(logged.map((request) => [String(request.decoded_path).split('/drafts/')[1], request.status]).sort()).toEqual(
			[
				[String(drafts[0].draft_id), 200],
				['drf_missing', 404],
			].sort(),
		);
	});

	it('On Error Stop with several failures among the running items: the first by position is thrown', async () => {
		const env = getEnv();
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { concurrency: 3 } }))], {
			items: [{ to: 'ok@example.com' }, { to: 'first broken' }, { to: 'second broken' }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('To: "first broken" is not a valid email address');
		expect(run.taskData('Send').error?.context?.itemIndex).toBe(1);
	});

	it('at most Concurrency items have requests in flight at any moment', async () => {
		const env = getEnv();
		const drafts: IDataObject[] = [];
		for (let index = 0; index < 12; index++) drafts.push(await createDraft(env, { to: ['a@example.com'], subject: `d${index}` }));
		for (const draft of drafts) await env.fault({ method: 'GET', path: String(draft.draft_id), latency_ms: 80, count: 1 });
		await env.clearRequests();
		const run = await env.run(
			[am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), requestOptions: { concurrency: 3 } })],
			{ items: drafts.map((draft) => ({ draft_id: draft.draft_id })) },
		);
		expect(run.status).toBe('success');
		expect(run.json('Get').map((item) => item.subject)).toEqual(drafts.map((draft) => draft.subject));
		const logged = await env.requests();
		expect(logged).toHaveLength(12);
		// The most requests the server was answering at one instant (each held for 80 ms).
		const intervals = logged.map((request) => [at(request), at(request) + Number(request.duration_ms)]);
		const overlap = Math.max(...intervals.map(([start]) => intervals.filter(([from, to]) => from <= start && start < to).length));
		expect(overlap).toBe(3);
	});

	it('Concurrency 1: one item after the other, in input order', async () => {
		const env = getEnv();
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { concurrency: 1 } }))], { items: recipients(5) });
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((request) => (request.body as IDataObject).to)).toEqual(recipients(5).map((item) => [item.to]));
		for (let index = 1; index < logged.length; index++) {
			expect(at(logged[index])).toBeGreaterThanOrEqual(at(logged[index - 1]) + Number(logged[index - 1].duration_ms));
		}
	});

	it('1,001 items, in 10 batches of up to 512: order, pairedItem and failures stay exact', async () => {
		const env = getEnv();
		const LAST = 1000;
		const items: IDataObject[] = recipients(LAST + 1);
		items[LAST] = { to: 'broken', subject: 'last' };
		const run = await env.run([am('Send', sendParams(env), { onError: 'continueRegularOutput' })], { items });
		expect(run.status).toBe('success');
		const output = run.output('Send');
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(LAST);
		const idByRecipient = new Map(outbox.map((message) => [(message.to as string[])[0], message.message_id]));
		expect(output.slice(0, LAST).map((item) => item.json.message_id)).toEqual(
			items.slice(0, LAST).map((item) => idByRecipient.get(item.to as string)),
		);
		expect(output[LAST].json.error).toBe('To: "broken" is not a valid email address');
	}, 60_000);

	it('sends stay exactly once: one Idempotency-Key per item, distinct across items', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/messages/send', status: 503, retry_after: 0, count: 3 });
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { concurrency: 5 } }))], { items: recipients(8) });
		expect(run.status).toBe('success');
		const logged = (await env.requests()).filter((request) => request.method === 'POST');
		expect(logged).toHaveLength(11);
		const keys = logged.filter((request) => request.status === 200).map((request) => header(request, 'idempotency-key'));
		expect(new Set(keys).size).toBe(8);
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(8);
		expect(run.json('Send').map((item) => item.message_id)).toEqual(
			recipients(8).map((item) => outbox.find((message) => (message.to as string[])[0] === item.to)!.message_id),
		);
	});
});

describe('shared rate-limit state', () => {
	it('after a 429 the other items wait for Retry-After too instead of each running into the limit', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/messages/send', status: 429, retry_after: 1, count: 1 });
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { concurrency: 2 } }))], { items: recipients(5) });
		expect(run.status).toBe('success');
		const logged = await env.requests();
		expect(logged.map((request) => request.status).filter((status) => status === 429)).toHaveLength(1);
		expect(logged).toHaveLength(6);
		const limitedAt = at(logged.find((request) => request.status === 429)!);
		const after = logged.filter((request) => request.status === 200 && at(request) > limitedAt);
		// Only the item that was already in flight next to the limited one may arrive within Retry-After.
		const early = after.filter((request) => at(request) < limitedAt + 950);
		expect(early.length).toBeLessThanOrEqual(1);
		expect(after.length - early.length).toBeGreaterThanOrEqual(3);
		expect(await env.outbox()).toHaveLength(5);
	});
});

describe('the pace learned from the key\'s rate limit', () => {
	it('40 sends at the default Concurrency against a limit of 10 at 10/s: each sent once, no burst into the limit after the first pause', async () => {
		const env = getEnv();
		await env.admin.post('/_sandbox/rate-limit', { capacity: 10, per_second: 10 });
		const run = await env.run([am('Send', sendParams(env))], { items: recipients(40) });
		expect(run.status).toBe('success');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(40);
		expect(new Set(outbox.map((message) => (message.to as string[])[0])).size).toBe(40);
		expect(run.json('Send').map((item) => item.message_id)).toEqual(
			recipients(40).map((item) => outbox.find((message) => (message.to as string[])[0] === item.to)!.message_id),
		);
		const statuses = (await env.requests()).map((request) => request.status);
		const limited = statuses.filter((status) => status === 429).length;
		// The first burst: 40 within a few milliseconds (batches of 1, 2, 4, …), 10 tokens, so about
		// 30 × 429. Then the pause refills 10 and the pace (10/s, a little faster to probe) takes the
		// rest: it may run into the limit now and then, never again with a burst. (What the pace
		// saves is time, measured by npm run bench.)
		const burst = statuses.slice(0, 40).filter((status) => status === 429).length;
		expect(burst).toBeGreaterThan(20);
		expect(limited - burst).toBeLessThan(10);
	});
});

describe('429 retries within the time budget', () => {
	it('a 429 does not use up the 3 attempts: retried until it goes through', async () => {
		const env = getEnv();
		await env.fault({ method: 'GET', path: '/drafts', status: 429, retry_after: 0, count: 5 });
		const run = await env.run([am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true })]);
		expect(run.status).toBe('success');
		expect((await env.requests()).map((request) => request.status)).toEqual([429, 429, 429, 429, 429, 200]);
	});

	it('a Retry-After beyond Rate Limit Retry Time fails at once with the 429', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/messages/send', status: 429, retry_after: 5, count: 1 });
		const run = await env.run([am('Send', sendParams(env, { requestOptions: { retryBudget: 2 } }))], { items: recipients(1) });
		expectApiError(run, 'Send', 429, 'rate_limit_exceeded');
		expect(await env.requests()).toHaveLength(1);
		expect(await env.outbox()).toHaveLength(0);
	});
});

describe('credential reads', () => {
	it('once per execution, for every item, page and retry, at any concurrency', async () => {
		const env = getEnv();
		for (let index = 0; index < 3; index++) await env.api.post(`${inboxPath(env)}/drafts`, { to: ['a@example.com'], text: `${index}` });
		await env.fault({ method: 'POST', path: '/messages/send', status: 503, retry_after: 0, count: 2 });
		const reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		const run = await env.run(
			[
				am('Send', sendParams(env, { requestOptions: { concurrency: 4 } })),
				am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true, requestOptions: { concurrency: 4 } }),
			],
			{ items: recipients(4) },
		);
		expect(run.status).toBe('success');
		expect(run.output('List')).toHaveLength(12);
		// One read per node execution: Send (4 items, 2 retries) and List (4 items).
		expect(reads.mock.calls.map((call) => call[2])).toEqual(['agentMailApi', 'agentMailApi']);
	});

	it('an execution that makes no request reads no credential', async () => {
		const env = getEnv();
		const reads = jest.spyOn(TestCredentialsHelper.prototype, 'getDecrypted');
		const run = await env.run([am('Send', sendParams(env), { onError: 'continueRegularOutput' })], {
			items: [{ to: 'broken' }],
		});
		expect(run.status).toBe('success');
		expect(reads).not.toHaveBeenCalled();
	});
});
