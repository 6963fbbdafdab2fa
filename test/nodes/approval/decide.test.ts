import { node, START, useNodeEnv } from '../setup';
import { approvalNode, createDraft, decide, formFields, getDraft, openPage, startApproval, submit } from './helpers';

const getEnv = useNodeEnv();

describe('Wait for Approval: deciding (POST)', () => {
	it('approve sends the draft once and leaves on Approved with the decision', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const { result } = await decide(state, { decision: 'approve', reviewer: 'Dana (ops)' });
		expect(result.statusCode).toBe(200);
		expect(result.rawBody).toContain('Decision recorded');
		expect(result.resumed).toBe(true);
		expect(result.run?.status).toBe('success');
		const [item] = result.run!.output('Approval', 0);
		expect(result.run!.output('Approval', 1)).toHaveLength(0);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			draft_id: draft.draft_id,
			inbox_id: env.inbox,
			send_status: 'sent',
			decision: { status: 'approved', by: 'Dana (ops)', via: 'form', reason: null, edited: false, changes: {} },
		});
		expect(Date.parse(String((item.json.decision as { at: string }).at))).toBeGreaterThan(Date.now() - 60_000);
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		expect(item.json.message_id).toBe(outbox[0].message_id);
		expect(item.json.thread_id).toBe(outbox[0].thread_id);
		expect((item.json.result as { message_id: string }).message_id).toBe(outbox[0].message_id);
		expect(outbox[0]).toMatchObject({ subject: 'About your refund', to: ['customer@example.com'] });
		expect((await getDraft(env, String(draft.draft_id))).status).toBe(404);
	});

	it('approve with edits writes only the changed fields and records the diff', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { cc: ['billing@example.com'] });
		const state = await startApproval(env, [draft]);
		await env.clearRequests();
		const { result } = await decide(state, {
			decision: 'approve',
			subject_0: 'About your refund (order 1042)',
			cc_0: '',
		});
		expect(result.run?.status).toBe('success');
		const [item] = result.run!.output('Approval', 0);
		expect(item.json.decision).toMatchObject({
			edited: true,
			changes: {
				subject: { from: 'About your refund', to: 'About your refund (order 1042)' },
				cc: { from: ['billing@example.com'], to: [] },
			},
		});
		const patch = (await env.requests()).find((request) => request.method === 'PATCH');
		expect(patch?.body).toEqual({
			remove_labels: ['pending-approval'],
			add_labels: ['approved'],
			subject: 'About your refund (order 1042)',
			cc: null,
		});
		const [sent] = await env.outbox();
		expect(sent.subject).toBe('About your refund (order 1042)');
		expect(sent.to).toEqual(['customer@example.com']);
		expect(sent.cc ?? []).toEqual([]);
	});

	it('reject with a reason labels the draft rejected, sends nothing and leaves on Rejected', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const { result } = await decide(state, { decision: 'reject', reason: 'Wrong amount', reviewer: 'Dana' });
		expect(result.run?.status).toBe('success');
		expect(result.run!.output('Approval', 0)).toHaveLength(0);
		const [item] = result.run!.output('Approval', 1);
		// n8n re-derives lineage on resume: item 0 of output 1 (see the lineage test below).
		expect(item.pairedItem).toEqual({ item: 0, input: 1 });
		expect(item.json).toMatchObject({
			draft_id: draft.draft_id,
			send_status: '',
			message_id: null,
			decision: { status: 'rejected', by: 'Dana', via: 'form', reason: 'Wrong amount', edited: false },
		});
		const stored = (await getDraft(env, String(draft.draft_id))).data;
		expect(stored.labels).toEqual(expect.arrayContaining(['rejected']));
		expect(stored.labels).not.toContain('pending-approval');
		expect(await env.outbox()).toHaveLength(0);
	});

	it('a rejection without the required reason decides nothing and shows the form again', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const { result } = await decide(state, { decision: 'reject', reason: '' });
		expect(result.statusCode).toBe(400);
		expect(result.resumed).toBe(false);
		expect(result.rawBody).toContain('Enter a reason for the rejection');
		expect((await getDraft(env, String(draft.draft_id))).data.labels).toContain('pending-approval');
	});

	it('an edited subject with a line break (header injection) decides nothing and shows the form again', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		await env.clearRequests();
		const { result } = await decide(state, { decision: 'approve', subject_0: 'Refund\r\nBcc: thief@evil.test' });
		expect(result.statusCode).toBe(400);
		expect(result.resumed).toBe(false);
		expect(result.rawBody).toContain('may not contain a line break or control character (U+000D)');
		expect((await env.requests()).filter((request) => request.method !== 'GET')).toEqual([]);
		expect(await env.outbox()).toHaveLength(0);
	});

	it('requires the reviewer name when configured', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { options: { requireReviewer: true } });
		const { result } = await decide(state, { decision: 'approve', reviewer: '' });
		expect(result.statusCode).toBe(400);
		expect(result.rawBody).toContain('Enter your name or email address as the reviewer');
		expect(await env.outbox()).toHaveLength(0);
	});

	it('refuses a decision on a draft that changed after the page was rendered and shows the new version', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		const changed = await env.api.patch(
			`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${encodeURIComponent(String(draft.draft_id))}`,
			{ text: 'Your refund of $4200 is approved.' },
		);
		expect(changed.status).toBe(200);
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.statusCode).toBe(409);
		expect(result.resumed).toBe(false);
		expect(result.rawBody).toContain('The email changed after this page was opened');
		expect(result.rawBody).toContain('Your refund of $4200 is approved.');
		expect(await env.outbox()).toHaveLength(0);
		// Deciding on the version now shown works.
		const again = await decide(state, { decision: 'approve' });
		expect(again.result.run?.status).toBe('success');
		expect((await env.outbox())[0].text).toBe('Your refund of $4200 is approved.');
	});

	it('a second POST after the decision gets "already decided" and changes nothing', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		const fields = { ...formFields(page.html), decision: 'approve' };
		const first = await submit(state, fields);
		expect(first.run?.status).toBe('success');
		const replay = await submit(state, fields);
		expect(replay.statusCode).toBe(409);
		expect(replay.rawBody).toContain('Already decided');
		expect(replay.resumed).toBe(false);
		const rejectReplay = await submit(state, { ...fields, decision: 'reject', reason: 'late' });
		expect(rejectReplay.resumed).toBe(false);
		expect(await env.outbox()).toHaveLength(1);
	});

	it('"keep" approval labels the draft approved and restores its own schedule', async () => {
		const env = getEnv();
		const sendAt = new Date(Date.now() + 3600_000).toISOString();
		const draft = await createDraft(env, { send_at: sendAt });
		const state = await startApproval(env, [draft], { onApproval: 'keep' });
		const { result } = await decide(state, { decision: 'approve' });
		const [item] = result.run!.output('Approval', 0);
		expect(item.json).toMatchObject({ send_status: 'scheduled', message_id: null, decision: { status: 'approved' } });
		const stored = (await getDraft(env, String(draft.draft_id))).data;
		expect(stored.labels).toEqual(expect.arrayContaining(['approved', 'scheduled']));
		expect(stored.labels).not.toContain('pending-approval');
		expect(new Date(stored.send_at).toISOString()).toBe(sendAt);
		expect(await env.outbox()).toHaveLength(0);
	});

	it('a reviewer-set send time schedules instead of sending now', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const later = new Date(Date.now() + 7200_000).toISOString();
		const { result } = await decide(state, { decision: 'approve', send_at_0: later });
		const [item] = result.run!.output('Approval', 0);
		expect(item.json).toMatchObject({ send_status: 'scheduled', decision: { edited: true, changes: { send_at: { from: null, to: later } } } });
		expect((await getDraft(env, String(draft.draft_id))).data.send_at).toBe(later);
		expect(await env.outbox()).toHaveLength(0);
	});

	it('"delete" rejection removes the draft', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onRejection: 'delete' });
		const { result } = await decide(state, { decision: 'reject', reason: 'Not needed' });
		expect(result.run!.output('Approval', 1)[0].json.decision).toMatchObject({ status: 'rejected', reason: 'Not needed' });
		expect((await getDraft(env, String(draft.draft_id))).status).toBe(404);
	});

	it('an approval whose send a block list refuses ends on Rejected with AgentMail\'s reason', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['customer@blocked.example'] });
		const state = await startApproval(env, [draft]);
		expect((await env.api.post('/v0/lists/send/block', { entry: 'blocked.example', reason: 'legal hold' })).status).toBe(200);
		const { result } = await decide(state, { decision: 'approve', reviewer: 'Dana' });
		expect(result.run?.status).toBe('success');
		expect(result.run!.output('Approval', 0)).toHaveLength(0);
		const [item] = result.run!.output('Approval', 1);
		const decision = item.json.decision as { status: string; reason: string; by: string };
		expect(decision.status).toBe('rejected');
		expect(decision.by).toBe('Dana');
		expect(decision.reason).toMatch(/blocked\.example/);
		expect((await getDraft(env, String(draft.draft_id))).data.labels).toContain('rejected');
		expect(await env.outbox()).toHaveLength(0);
	});

	it('several items: one page lists every draft and each gets its own decision', async () => {
		const env = getEnv();
		const first = await createDraft(env, { subject: 'First draft' });
		const second = await createDraft(env, { subject: 'Second draft', to: ['other@example.com'] });
		const state = await startApproval(env, [first, second]);
		const page = await openPage(state);
		expect(page.html).toContain('Draft 1 of 2');
		expect(page.html).toContain('Second draft');
		expect(page.versions).toHaveLength(2);
		const missing = await submit(state, { ...formFields(page.html), decision_0: 'approve' });
		expect(missing.statusCode).toBe(400);
		expect(missing.rawBody).toContain('Draft 2: choose Approve or Reject');
		const { result } = await decide(state, { decision_0: 'reject', decision_1: 'approve', reason: 'duplicate' });
		expect(result.run?.status).toBe('success');
		const approved = result.run!.output('Approval', 0);
		const rejected = result.run!.output('Approval', 1);
		expect(approved.map((item) => item.json.draft_id)).toEqual([second.draft_id]);
		expect(rejected.map((item) => item.json.draft_id)).toEqual([first.draft_id]);
		const outbox = await env.outbox();
		expect(outbox.map((mail) => mail.subject)).toEqual(['Second draft']);
	});

	it.each([
		['approve', 0, 'After Approved'],
		['reject', 1, 'After Rejected'],
	])('after %s, downstream expressions still reach the triggering item ($("Start").item)', async (verdict, output, after) => {
		const env = getEnv();
		const draft = await createDraft(env);
		const marker = (name: string) =>
			node(name, 'agentMail', {
				resource: 'allowlist',
				operation: 'add',
				scope: 'organization',
				direction: 'receive',
				listType: 'block',
				entry: "={{ $('Start').item.json.marker }}",
				reason: '',
			});
		const run = await env.run([approvalNode(env), marker('After Approved'), marker('After Rejected')], {
			items: [{ draft_id: draft.draft_id, marker: 'lineage.example' }],
			connections: {
				[START]: { main: [[{ node: 'Approval', type: 'main', index: 0 }]] },
				Approval: {
					main: [
						[{ node: 'After Approved', type: 'main', index: 0 }],
						[{ node: 'After Rejected', type: 'main', index: 0 }],
					],
				},
			},
		});
		expect(run.status).toBe('waiting');
		const { result } = await decide(run.state, { decision: verdict, reason: 'no' });
		expect(result.run?.status).toBe('success');
		expect(result.run!.output('Approval', output)).toHaveLength(1);
		expect(result.run!.output(after, 0).map((item) => item.json.entry)).toEqual(['lineage.example']);
	});
});
