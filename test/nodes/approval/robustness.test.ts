import { callWaitingWebhook } from '../../harness';
import { useNodeEnv } from '../setup';
import { createDraft, decide, FORM, formFields, getDraft, openPage, startApproval, submit } from './helpers';

const getEnv = useNodeEnv();

describe('Wait for Approval: the review webhook never fails the waiting execution', () => {
	it('a POST without a body decides nothing and keeps waiting', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		for (const body of [undefined, '', '[]']) {
			const result = await callWaitingWebhook(state, {
				method: 'POST',
				headers: body === '[]' ? { 'content-type': 'application/json' } : FORM,
				body,
			});
			expect(result.webhookError).toBeUndefined();
			expect(result.resumed).toBe(false);
			expect({ body, status: result.statusCode }).toEqual({ body, status: 400 });
			expect(result.rawBody).toContain('Nothing was decided.');
		}
		// A decision without the version of the draft it was made on is not taken either.
		const unversioned = await callWaitingWebhook(state, { method: 'POST', headers: FORM, body: 'decision=approve' });
		expect(unversioned.resumed).toBe(false);
		expect(unversioned.statusCode).toBe(409);
		expect(await env.outbox()).toHaveLength(0);
	});

	it('AgentMail answering 503 shows an error page, keeps waiting, and the link works again afterwards', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		await env.fault({ method: 'GET', path: `/drafts/${String(draft.draft_id)}`, status: 503, count: 3 });
		const down = await openPage(state);
		expect(down.result.webhookError).toBeUndefined();
		expect(down.result.statusCode).toBe(503);
		expect(down.html).toContain('Nothing was decided');
		expect(down.result.resumed).toBe(false);
		const again = await openPage(state);
		expect(again.result.statusCode).toBe(200);
		const { result } = await decide(state, { decision: 'approve' });
		expect(result.run?.status).toBe('success');
	});

	it('two overlapping submissions (double click, or approve and reject at once) decide once', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		const fields = formFields(page.html);
		// The first submission's read of the draft is slow, so the second arrives while it works.
		await env.fault({ method: 'GET', path: `/drafts/${String(draft.draft_id)}`, latency_ms: 500, count: 1 });
		const [first, second] = await Promise.all([
			submit(state, { ...fields, decision: 'approve' }),
			new Promise((resolve) => setTimeout(resolve, 100)).then(
				async () => await submit(state, { ...fields, decision: 'reject', reason: 'no' }),
			),
		]);
		expect(first.webhookError).toBeUndefined();
		expect(second.webhookError).toBeUndefined();
		// Which one reaches the node first depends on the harness's timing; exactly one decides.
		const [winner, loser] = first.resumed ? [first, second] : [second, first];
		expect(winner.resumed).toBe(true);
		expect(loser.resumed).toBe(false);
		expect(loser.statusCode).toBe(409);
		expect(loser.rawBody).toContain('Already decided');
		const outbox = await env.outbox();
		if (winner === first) {
			expect(winner.run!.output('Approval', 0)).toHaveLength(1);
			expect(outbox).toHaveLength(1);
			expect(outbox[0].labels).not.toContain('rejected');
			expect((await getDraft(env, String(draft.draft_id))).status).toBe(404);
		} else {
			expect(winner.run!.output('Approval', 1)).toHaveLength(1);
			expect(outbox).toHaveLength(0);
			expect((await getDraft(env, String(draft.draft_id))).data.labels).toContain('rejected');
		}
	});

	it('a refused submission shows the reviewer\'s name, reason and edits again', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { options: { requireReviewer: true } });
		const page = await openPage(state);
		const refused = await submit(state, {
			...formFields(page.html),
			decision: 'reject',
			reviewer: '',
			reason: 'Amount is wrong',
			subject_0: 'Edited <subject>',
		});
		expect(refused.statusCode).toBe(400);
		const again = formFields(refused.rawBody);
		expect(again.reason).toBe('Amount is wrong');
		expect(again.subject_0).toBe('Edited <subject>');
		expect(refused.rawBody).toContain('Enter your name or email address as the reviewer');
	});

	it('approves a draft whose recipient display name holds "<" and ">" without editing', async () => {
		const env = getEnv();
		const to = '"ACME <Billing>" <billing@acme.example>';
		const draft = await createDraft(env, { to: [to] });
		const state = await startApproval(env, [draft]);
		const { page, result } = await decide(state, { decision: 'approve' });
		expect(formFields(page.html).to_0).toBe(to);
		expect(result.statusCode).toBe(200);
		expect(result.run?.status).toBe('success');
		expect((await env.outbox())[0].to).toEqual([to]);
	});
});
