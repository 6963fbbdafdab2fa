import { expireWait } from '../../harness';
import { DECISION_GRACE_MS } from '../../../nodes/AgentMailWaitForApproval/review/settings';
import { useNodeEnv } from '../setup';
import { approvalNode, createDraft, getDraft, startApproval } from './helpers';

const getEnv = useNodeEnv();

describe('Wait for Approval: execute', () => {
	it('parks the execution until the time limit plus the decision grace period and labels the draft pending-approval', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const before = Date.now();
		const run = await env.run([approvalNode(env, { limitAmount: 2, limitUnit: 'hours' })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('waiting');
		const waitTill = new Date(run.waitTill as Date).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3600_000 + DECISION_GRACE_MS);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 2 * 3600_000 + DECISION_GRACE_MS);
		const stored = (await getDraft(env, String(draft.draft_id))).data;
		expect(stored.labels).toContain('pending-approval');
		expect(stored.send_at ?? null).toBeNull();
		expect(await env.outbox()).toHaveLength(0);
	});

	it('suspends a draft scheduled by the agent so nothing goes out before approval', async () => {
		const env = getEnv();
		const sendAt = new Date(Date.now() + 1500).toISOString();
		const draft = await createDraft(env, { send_at: sendAt });
		expect(draft.send_status).toBe('scheduled');
		await startApproval(env, [draft]);
		const held = (await getDraft(env, String(draft.draft_id))).data;
		expect(held.send_at ?? null).toBeNull();
		expect(held.labels).not.toContain('scheduled');
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await env.outbox()).toHaveLength(0);
		expect((await getDraft(env, String(draft.draft_id))).status).toBe(200);
	});

	it('with approve-on-timeout, schedules the draft in AgentMail for the time limit (n8n waits the grace period longer)', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const run = await env.run([approvalNode(env, { onTimeout: 'approve', limitAmount: 30, limitUnit: 'minutes' })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('waiting');
		const held = (await getDraft(env, String(draft.draft_id))).data;
		expect(held.send_status).toBe('scheduled');
		expect(new Date(held.send_at).getTime()).toBe(new Date(run.waitTill as Date).getTime() - DECISION_GRACE_MS);
	});

	it('refuses a time limit over 7 days before any request', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		await env.clearRequests();
		const run = await env.run([approvalNode(env, { limitAmount: 8, limitUnit: 'days' })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/at most 7 days/);
		expect(await env.requests()).toHaveLength(0);
	});

	it('emails approvers the subject, recipients, requester, expiry and link, never the body', async () => {
		const env = getEnv();
		const draft = await createDraft(env, {
			subject: 'Refund for order 1042',
			cc: ['billing@example.com'],
			text: 'SECRET-BODY-TEXT: your refund of $42 is approved.',
			html: '<p>SECRET-HTML-BODY</p>',
		});
		const run = await env.run(
			[approvalNode(env, { notification: 'email', approvers: 'ops@example.com, lead@example.com' })],
			{ items: [{ draft_id: draft.draft_id }] },
		);
		expect(run.status).toBe('waiting');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		const mail = outbox[0];
		expect(mail.to).toEqual(['ops@example.com', 'lead@example.com']);
		expect(mail.subject).toBe('Approval needed: Refund for order 1042');
		const content = `${mail.text}\n${mail.html}`;
		expect(content).toContain('customer@example.com');
		expect(content).toContain('billing@example.com');
		expect(content).toContain('Refund agent');
		expect(content).toContain(`/webhook-waiting/${run.executionId}`);
		expect(content).toMatch(/expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
		expect(content).not.toContain('SECRET-BODY-TEXT');
		expect(content).not.toContain('SECRET-HTML-BODY');
	});

	it('refuses an invalid approver address before any request', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		await env.clearRequests();
		const run = await env.run([approvalNode(env, { notification: 'email', approvers: 'not-an-address' })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Approvers/);
		expect(await env.requests()).toHaveLength(0);
	});

	it('approves at once, without waiting, when every recipient is on a send allow list', async () => {
		const env = getEnv();
		expect((await env.api.post('/v0/lists/send/allow', { entry: 'example.com' })).status).toBe(200);
		const draft = await createDraft(env, { to: ['customer@example.com'], cc: ['billing@example.com'] });
		const run = await env.run([approvalNode(env, { options: { skipAllowlisted: true } })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('success');
		const approved = run.output('Approval', 0);
		expect(approved).toHaveLength(1);
		expect(approved[0].json).toMatchObject({
			draft_id: draft.draft_id,
			send_status: 'sent',
			decision: { status: 'approved', via: 'allowlist', edited: false },
		});
		expect(approved[0].json.message_id).toEqual(expect.any(String));
		expect(approved[0].pairedItem).toEqual({ item: 0 });
		expect(run.output('Approval', 1)).toHaveLength(0);
		expect(await env.outbox()).toHaveLength(1);
	});

	it('still waits when one recipient is not allowlisted', async () => {
		const env = getEnv();
		await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/lists/send/allow`, { entry: 'customer@example.com' });
		const draft = await createDraft(env, { to: ['customer@example.com', 'stranger@elsewhere.org'] });
		const run = await env.run([approvalNode(env, { options: { skipAllowlisted: true } })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('waiting');
		expect(await env.outbox()).toHaveLength(0);
	});

	it('with On Error = continue, a missing draft leaves on Rejected as { error, code, status } and the others wait', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const run = await env.run([approvalNode(env, {}, { onError: 'continueRegularOutput' })], {
			items: [{ draft_id: 'drf_does_not_exist' }, { draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('waiting');
		const expired = await expireWait(run.state, { force: true });
		const rejected = expired.output('Approval', 1);
		expect(rejected).toHaveLength(2);
		expect(rejected[0].json).toMatchObject({ code: 'not_found', status: 404 });
		expect(String(rejected[0].json.error)).toMatch(/AgentMail 404 not_found/);
		expect(rejected[1].json).toMatchObject({ draft_id: draft.draft_id, decision: { status: 'expired' } });
	});
});
