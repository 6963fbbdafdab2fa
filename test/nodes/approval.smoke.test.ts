import { callWaitingWebhook, expireWait } from '../harness';
import { byId, node, useNodeEnv } from './setup';

const getEnv = useNodeEnv();

async function createDraft(subject = 'Refund') {
	const env = getEnv();
	const response = await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts`, {
		to: ['customer@example.com'],
		subject,
		text: 'Your refund is approved.',
	});
	expect(response.status).toBe(200);
	return response.data;
}

function approvalNode(parameters = {}) {
	const env = getEnv();
	return node('Approval', 'agentMailWaitForApproval', {
		inboxId: byId(env.inbox),
		draftId: byId('={{ $json.draft_id }}'),
		limitAmount: 1,
		limitUnit: 'hours',
		onTimeout: 'reject',
		onApproval: 'send',
		onRejection: 'label',
		notification: 'none',
		options: {},
		...parameters,
	});
}

it('waits, shows the page on GET, approves on POST and sends once', async () => {
	const env = getEnv();
	const draft = await createDraft();
	const run = await env.run([approvalNode()], { items: [{ draft_id: draft.draft_id }] });
	expect(run.status).toBe('waiting');
	const page = await callWaitingWebhook(run.state, { method: 'GET', headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0' } });
	expect(page.webhookError).toBeUndefined();
	expect(page.statusCode).toBe(200);
	expect(page.resumed).toBe(false);
	expect(String(page.body)).toContain('Refund');
	const version = /name="version_0" value="([^"]*)"/.exec(String(page.body))![1];
	const done = await callWaitingWebhook(run.state, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: `decision=approve&version_0=${encodeURIComponent(version)}&subject_0=Refund+approved&to_0=customer%40example.com&cc_0=&bcc_0=&text_0=${encodeURIComponent('Your refund is approved.')}&html_0=&send_at_0=&reviewer=Ops`,
	});
	expect(done.webhookError).toBeUndefined();
	expect(done.resumed).toBe(true);
	expect(done.run?.status).toBe('success');
	const approved = done.run!.output('Approval', 0);
	expect(approved).toHaveLength(1);
	expect(approved[0].json.decision).toMatchObject({ status: 'approved', via: 'form', by: 'Ops', edited: true });
	const outbox = await env.outbox();
	expect(outbox).toHaveLength(1);
	expect(outbox[0].subject).toBe('Refund approved');
});

it('expiry lands on Rejected, never Approved', async () => {
	const env = getEnv();
	const draft = await createDraft();
	const run = await env.run([approvalNode()], { items: [{ draft_id: draft.draft_id }] });
	expect(run.status).toBe('waiting');
	const expired = await expireWait(run.state, { force: true });
	expect(expired.status).toBe('success');
	expect(expired.output('Approval', 0)).toHaveLength(0);
	const rejected = expired.output('Approval', 1);
	expect(rejected).toHaveLength(1);
	expect(rejected[0].json.decision).toMatchObject({ status: 'expired', via: 'timeout' });
	expect(await env.outbox()).toHaveLength(0);
});
