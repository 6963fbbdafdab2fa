/**
 * Keys with permissions (sandbox/permissions.ts) through n8n-core: the
 * agent's draft-only credential gets a 403 missing_permission, whose error
 * explains the two-credential pattern, on every sending operation, and
 * nothing is sent; the same credential drafts; Wait for Approval with the
 * approver's credential sends the draft after approval.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { CredentialsInput } from '../../harness';
import { AGENT_PERMISSIONS, APPROVER_PERMISSIONS } from '../../../scripts/lib/keyRoles';
import { MISSING_PERMISSION_HINT } from '../../../nodes/shared/transport/errors';
import { approvalNode, decide, createDraft } from '../approval/helpers';
import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { am, byId, expectApiError } from './helpers';

const getEnv = useNodeEnv();

/** A sandbox key with exactly these permissions, as an "AgentMail API" credential. */
async function credentialWith(env: NodeEnv, permissions: readonly string[]): Promise<CredentialsInput> {
	const res = await env.admin.post('/_sandbox/api-keys', { permissions: Object.fromEntries(permissions.map((p) => [p, true])) });
	expect(res.status).toBe(200);
	return { agentMailApi: { apiKey: res.data.api_key, region: 'custom', baseUrl: env.sandbox.url } };
}

async function receivedMessage(env: NodeEnv): Promise<string> {
	const res = await env.admin.post('/_sandbox/inbound', { inbox_id: env.inbox, from: 'carol@example.com', subject: 'Refund?', text: 'Where is it?' });
	return res.data.message_id;
}

describe('the agent credential (draft only)', () => {
	const sends: Array<[string, string, (env: NodeEnv, ids: IDataObject) => INodeParameters]> = [
		['message send', 'message_send', (env) => ({ resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'bob@example.com', subject: 'Hi', text: 'x' })],
		['message reply', 'message_send', (env, ids) => ({ resource: 'message', operation: 'reply', inboxId: byId(env.inbox), messageId: String(ids.messageId), text: 'x' })],
		['draft send', 'draft_send', (env, ids) => ({ resource: 'draft', operation: 'send', inboxId: byId(env.inbox), draftId: byId(String(ids.draftId)) })],
	];

	it.each(sends)('%s: NodeApiError 403 missing_permission that explains the two credentials; nothing is sent', async (_name, permission, params) => {
		const env = getEnv();
		const ids = { messageId: await receivedMessage(env), draftId: (await createDraft(env)).draft_id };
		const agent = await credentialWith(env, AGENT_PERMISSIONS);
		await env.clearRequests();

		const run = await env.run([am('Op', params(env, ids))], { credentials: agent });
		const error = expectApiError(run, 'Op', 403, 'missing_permission');
		expect(error.message).toBe('AgentMail 403 missing_permission: Forbidden');
		const description = String((error as { description?: string }).description);
		expect(description).toContain(`\`${permission}\``); // AgentMail's fix
		expect(description).toContain(MISSING_PERMISSION_HINT);
		expect(description).toMatch(/Wait for Approval/);
		expect((error.context.agentMail as IDataObject).hint).toBe(MISSING_PERMISSION_HINT);
		const logged = await env.requests();
		expect(logged.map((r) => r.status)).toEqual([403]); // not retried
		expect(await env.outbox()).toEqual([]);
	});

	it('On Error = Continue: the item says error, code, status, fix and the hint', async () => {
		const env = getEnv();
		const agent = await credentialWith(env, AGENT_PERMISSIONS);
		const run = await env.run(
			[am('Send', { resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'bob@example.com', text: 'x' }, { onError: 'continueRegularOutput' })],
			{ credentials: agent },
		);
		expect(run.status).toBe('success');
		expect(run.json('Send')).toEqual([
			{
				error: 'AgentMail 403 missing_permission: Forbidden',
				code: 'missing_permission',
				status: 403,
				fix: expect.stringContaining('`message_send`'),
				hint: MISSING_PERMISSION_HINT,
			},
		]);
		expect(await env.outbox()).toEqual([]);
	});

	it('creates, updates and lists drafts', async () => {
		const env = getEnv();
		const agent = await credentialWith(env, AGENT_PERMISSIONS);
		const run = await env.run(
			[
				am('Create', { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'bob@example.com', subject: 'Refund', text: 'On its way.', additionalFields: {} }),
				am('Update', { resource: 'draft', operation: 'update', inboxId: byId(env.inbox), draftId: byId('={{ $json.draft_id }}'), updateFields: { subject: 'Your refund' } }),
			],
			{ credentials: agent },
		);
		expect(run.status).toBe('success');
		expect(run.json('Update')[0]).toMatchObject({ draft_id: run.json('Create')[0].draft_id });
		const drafts = (await env.api.get('/v0/drafts')).data.drafts as IDataObject[];
		expect(drafts.map((d) => d.subject)).toEqual(['Your refund']);
		expect(await env.outbox()).toEqual([]);
	});
});

describe('Wait for Approval with the approver credential', () => {
	it('holds the agent\'s draft, emails the approver, and sends the draft once approved', async () => {
		const env = getEnv();
		const agent = await credentialWith(env, AGENT_PERMISSIONS);
		const approver = await credentialWith(env, APPROVER_PERMISSIONS);
		const drafted = await env.run(
			[am('Create', { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'bob@example.com', subject: 'Refund', text: 'On its way.', additionalFields: {} })],
			{ credentials: agent },
		);
		const draftId = String(drafted.json('Create')[0].draft_id);
		const run = await env.run(
			[approvalNode(env, { notification: 'email', approvers: 'ops@example.com', onTimeout: 'approve' })],
			{ items: [{ draft_id: draftId }], credentials: approver },
		);
		expect(run.status).toBe('waiting');
		expect((await env.outbox()).map((m) => m.to)).toEqual([['ops@example.com']]);

		const { result } = await decide(run.state, { decision: 'approve', reviewer: 'Dana' });
		expect(result.run?.status).toBe('success');
		expect(result.run!.output('Approval', 0)[0].json).toMatchObject({ draft_id: draftId, send_status: 'sent' });
		const sent = (await env.outbox()).filter((m) => m.via === 'draft');
		expect(sent.map((m) => [m.subject, m.to])).toEqual([['Refund', ['bob@example.com']]]);
		const refused = (await env.requests()).filter((r) => r.status === 403);
		expect(refused).toEqual([]);
	});
});
