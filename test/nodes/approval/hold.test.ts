import { useNodeEnv } from '../setup';
import { approvalNode, createDraft, getDraft } from './helpers';

const getEnv = useNodeEnv();

/** The hold is all or nothing: nobody can decide without the notification, so nothing may stay held. */
describe('Wait for Approval: holding a draft is all or nothing', () => {
	it('refuses more than 50 approvers before any request', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		await env.clearRequests();
		const approvers = Array.from({ length: 51 }, (_, n) => `ops${n}@example.com`).join(', ');
		const run = await env.run([approvalNode(env, { notification: 'email', approvers })], {
			items: [{ draft_id: draft.draft_id }],
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Approvers: at most 50 addresses, got 51/);
		expect(await env.requests()).toHaveLength(0);
	});

	it('refuses a bad "Send Notification From" inbox before any request', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		await env.clearRequests();
		const run = await env.run(
			[
				approvalNode(env, {
					notification: 'email',
					approvers: 'ops@example.com',
					notifyInbox: { __rl: true, mode: 'id', value: '..' },
				}),
			],
			{ items: [{ draft_id: draft.draft_id }] },
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Send Notification From/);
		expect(await env.requests()).toHaveLength(0);
	});

	it('when the notification fails after the hold, each draft gets back its labels and its own schedule, and the execution fails clearly', async () => {
		const env = getEnv();
		const sendAt = new Date(Date.now() + 3 * 3600_000).toISOString();
		const scheduled = await createDraft(env, { send_at: sendAt, labels: ['agent'] });
		const plain = await createDraft(env, { subject: 'Second', labels: ['agent'] });
		const before = await Promise.all([scheduled, plain].map(async (d) => (await getDraft(env, String(d.draft_id))).data));
		await env.fault({ method: 'POST', path: '/messages/send', status: 500, count: 5 });

		const run = await env.run([approvalNode(env, { notification: 'email', approvers: 'ops@example.com' })], {
			items: [{ draft_id: scheduled.draft_id }, { draft_id: plain.draft_id }],
		});

		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Could not notify the approvers/);
		expect(String((run.error as { description?: string }).description)).toMatch(/Every draft was restored/);
		for (const [position, draft] of [scheduled, plain].entries()) {
			const after = (await getDraft(env, String(draft.draft_id))).data;
			expect(after.labels).toEqual(before[position].labels);
			expect(after.send_at ?? null).toEqual(before[position].send_at ?? null);
			expect(after.send_status ?? null).toEqual(before[position].send_status ?? null);
		}
		expect(await env.outbox()).toHaveLength(0);
	});

	it('an approver refused by a send block list fails the hold the same way, with AgentMail\'s reason', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { send_at: new Date(Date.now() + 3600_000).toISOString() });
		const held = (await getDraft(env, String(draft.draft_id))).data;
		await env.api.post(`/v0/lists/send/block`, { entry: 'blocked.example', reason: 'no mail there' });

		const run = await env.run([approvalNode(env, { notification: 'email', approvers: 'ops@blocked.example' })], {
			items: [{ draft_id: draft.draft_id }],
		});

		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Could not notify the approvers: .*403/);
		const after = (await getDraft(env, String(draft.draft_id))).data;
		expect(after.labels).toEqual(held.labels);
		expect(after.send_at).toBe(held.send_at);
	});

	it('with On Error = continue, the items leave on Rejected with the notification error and the drafts are restored', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		await env.fault({ method: 'POST', path: '/messages/send', status: 500, count: 5 });
		const run = await env.run(
			[approvalNode(env, { notification: 'email', approvers: 'ops@example.com' }, { onError: 'continueRegularOutput' })],
			{ items: [{ draft_id: draft.draft_id }] },
		);
		expect(run.status).toBe('success');
		expect(run.output('Approval', 0)).toHaveLength(0);
		const [item] = run.output('Approval', 1);
		expect(String(item.json.error)).toMatch(/Could not notify the approvers/);
		expect((await getDraft(env, String(draft.draft_id))).data.labels).not.toContain('pending-approval');
	});
});
