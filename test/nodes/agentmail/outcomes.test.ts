/**
 * Outcomes a builder or an AI agent can act on (issue 8, points 7 and 8):
 * a 400's per-field errors reach the item with On Error -> Continue, and a
 * retry that finds the work already done is a success, but only on a retry
 * after a 5xx or a dropped connection, never on a first attempt.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import { am, byId, createDraft, expectApiError, readDraft } from './helpers';

const getEnv = useNodeEnv();

const retryOnFail: Partial<INode> = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

describe('On Error -> Continue carries AgentMail per-field errors (point 7)', () => {
	it('a 400 with errors: the failing item has them as AgentMail sent them, with code, status and fix', async () => {
		const env = getEnv();
		const run = await env.run(
			[
				am(
					'Create',
					{
						resource: 'draft',
						operation: 'create',
						inboxId: byId(env.inbox),
						to: 'a@example.com',
						additionalFields: { labels: '={{ $json.labels }}' },
					},
					{ onError: 'continueRegularOutput' },
				),
			],
			{ items: [{ labels: 'fine' }, { labels: 'ok, sent' }] },
		);
		expect(run.status).toBe('success');
		const [good, bad] = run.output('Create');
		expect(good.json.draft_id).toEqual(expect.any(String));
		expect(bad.pairedItem).toEqual({ item: 1 });
		expect(bad.json).toMatchObject({ code: 'validation_error', status: 400 });
		expect(bad.json.errors).toEqual([{ path: ['labels', 1], message: expect.stringContaining('"sent" is a system label') }]);
	});
});

describe('a retry that finds the work done is a success (point 8)', () => {
	const del = (env: ReturnType<typeof getEnv>, draftId: string, extra: Partial<INode> = {}) =>
		am('Delete', { resource: 'draft', operation: 'delete', inboxId: byId(env.inbox), draftId: byId(draftId) }, extra);

	it('Delete Draft: deleted, then 500; the retry gets 404 and reports success', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['a@example.com'], subject: 'bye' });
		await env.clearRequests();
		await env.fault({ method: 'DELETE', path: '/drafts/', status: 500, retry_after: 0, after: true, count: 1 });
		const run = await env.run([del(env, String(draft.draft_id))]);
		expect(run.status).toBe('success');
		expect(run.json('Delete')).toEqual([{ draft_id: draft.draft_id, success: true }]);
		expect((await env.requests()).map((r) => [r.method, r.status, r.processed_status])).toEqual([
			['DELETE', 500, 204],
			['DELETE', 404, undefined],
		]);
		expect((await readDraft(env, String(draft.draft_id))).status).toBe(404);
	});

	it("Delete Draft under n8n's Retry On Fail: every transport attempt answered 500, n8n's retry gets 404: success", async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['a@example.com'], subject: 'bye' });
		await env.clearRequests();
		await env.fault({ method: 'DELETE', path: '/drafts/', status: 503, retry_after: 0, after: true, count: 3 });
		const run = await env.run([del(env, String(draft.draft_id), retryOnFail)]);
		expect(run.status).toBe('success');
		expect(run.json('Delete')[0]).toEqual({ draft_id: draft.draft_id, success: true });
		expect((await env.requests()).map((r) => r.status)).toEqual([503, 503, 503, 404]);
	});

	it('Delete Draft: a 404 on the first attempt stays an error', async () => {
		const env = getEnv();
		const run = await env.run([del(env, 'drf_never/existed')]);
		expectApiError(run, 'Delete', 404, 'not_found');
		expect(await env.requests()).toHaveLength(1);
	});

	const add: INodeParameters = {
		resource: 'allowlist',
		operation: 'add',
		scope: 'organization',
		direction: 'send',
		listType: 'block',
		entry: 'spam.example',
		reason: 'spam',
	};

	it('Allowlist Add: added, then 500; the retry is answered 409 already_exists: returns the existing entry', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/lists/', status: 500, retry_after: 0, after: true, count: 1 });
		// what AgentMail answers a duplicate entry with (AGENTMAIL_API.md §7.2: 409 already_exists)
		await env.fault({ method: 'POST', path: '/lists/', status: 409, code: 'already_exists', message: 'Entry already exists', count: 1 });
		const run = await env.run([am('Add', add)]);
		expect(run.status).toBe('success');
		const [out] = run.json('Add');
		expect(out).toMatchObject({ entry: 'spam.example', direction: 'send', list_type: 'block', entry_type: 'domain' });
		expect((out.result as IDataObject).reason).toBe('spam');
		expect((await env.requests()).map((r) => [r.method, r.status])).toEqual([
			['POST', 500],
			['POST', 409],
			['GET', 200],
		]);
		expect((await env.api.get('/v0/lists/send/block')).data.entries).toHaveLength(1);
	});

	it('Allowlist Add: 409 already_exists on the first attempt stays an error', async () => {
		const env = getEnv();
		await env.fault({ method: 'POST', path: '/lists/', status: 409, code: 'already_exists', message: 'Entry already exists', count: 1 });
		const run = await env.run([am('Add', add)]);
		expectApiError(run, 'Add', 409, 'already_exists');
		expect(await env.requests()).toHaveLength(1);
	});

	it("an earlier item's 5xx does not turn another item's first-attempt 404 into a success", async () => {
		const env = getEnv();
		// a 500 on item 0 does not make item 1's 404 "already done"
		await env.fault({ method: 'DELETE', path: '/drafts/', status: 500, retry_after: 0, after: true, count: 1 });
		const draft = await createDraft(env, { to: ['a@example.com'] });
		await env.clearRequests();
		const run = await env.run(
			[am('Delete', { resource: 'draft', operation: 'delete', inboxId: byId(env.inbox), draftId: byId('={{ $json.id }}') }, { onError: 'continueRegularOutput' })],
			{ items: [{ id: draft.draft_id }, { id: 'drf_missing' }] },
		);
		const [first, second] = run.json('Delete');
		expect(first).toEqual({ draft_id: draft.draft_id, success: true });
		expect(second).toMatchObject({ status: 404, code: 'not_found' });
	});
});
