import { expireWait } from '../../harness';
import { DECISION_GRACE_MS } from '../../../nodes/AgentMailWaitForApproval/review/settings';
import { useNodeEnv } from '../setup';
import { createDraft, decide, getDraft, openPage, startApproval } from './helpers';

const getEnv = useNodeEnv();

afterEach(() => {
	jest.restoreAllMocks();
});

describe('Wait for Approval: time limit', () => {
	it('reject on timeout (default): Rejected with decision expired, nothing sent', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const run = await expireWait(state, { force: true });
		expect(run.status).toBe('success');
		expect(run.output('Approval', 0)).toHaveLength(0);
		const [item] = run.output('Approval', 1);
		expect(item.json).toMatchObject({
			draft_id: draft.draft_id,
			send_status: '',
			message_id: null,
			decision: { status: 'expired', by: null, via: 'timeout', edited: false },
		});
		// n8n resumes a grace period after the limit; the decision is dated at the limit.
		expect((item.json.decision as { at: string }).at).toBe(
			new Date(new Date(state.waitTill as Date).getTime() - DECISION_GRACE_MS).toISOString(),
		);
		expect(await env.outbox()).toHaveLength(0);
		expect((await getDraft(env, String(draft.draft_id))).data.send_at ?? null).toBeNull();
	});

	it('approve on timeout: Approved with decision expired, and AgentMail sends the draft at the deadline', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onTimeout: 'approve', limitAmount: 1, limitUnit: 'minutes' });
		const held = (await getDraft(env, String(draft.draft_id))).data;
		expect(held.send_status).toBe('scheduled');
		const run = await expireWait(state, { force: true });
		expect(run.output('Approval', 1)).toHaveLength(0);
		const [item] = run.output('Approval', 0);
		expect(item.json).toMatchObject({ send_status: 'scheduled', decision: { status: 'expired', via: 'timeout' } });
		// The send itself is AgentMail's, at the deadline (next test); nothing went out early.
		expect(await env.outbox()).toHaveLength(0);
		expect(item.json.result).toMatchObject({ draft_id: draft.draft_id, send_at: held.send_at });
	});

	it('a rejection before an approve-on-timeout deadline cancels the scheduled send', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onTimeout: 'approve', limitAmount: 1, limitUnit: 'minutes' });
		const { result } = await decide(state, { decision: 'reject', reason: 'Not this one' });
		expect(result.run?.status).toBe('success');
		const stored = (await getDraft(env, String(draft.draft_id))).data;
		expect(stored.send_at ?? null).toBeNull();
		expect(stored.send_status ?? '').toBe('');
		expect(stored.labels).toContain('rejected');
		expect(stored.labels).not.toContain('scheduled');
	});

	it('an approve-on-timeout draft really goes out when the deadline passes', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onTimeout: 'approve', limitAmount: 1, limitUnit: 'minutes' });
		// Move the schedule AgentMail holds to just ahead, as if the minute had passed.
		const soon = new Date(Date.now() + 300).toISOString();
		expect((await env.api.patch(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${encodeURIComponent(String(draft.draft_id))}`, { send_at: soon })).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 800));
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		expect(outbox[0].subject).toBe('About your refund');
		expect((await getDraft(env, String(draft.draft_id))).status).toBe(404);
		expect(state.executionId).toEqual(expect.any(String));
	});

	it('after the deadline the page only says it expired, and a POST decides nothing', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { limitAmount: 1, limitUnit: 'minutes' });
		const page = await openPage(state);
		const deadline = Date.parse(new Date(state.waitTill as Date).toISOString());
		jest.spyOn(Date, 'now').mockReturnValue(deadline + 1000);
		const late = await openPage(state);
		expect(late.result.statusCode).toBe(410);
		expect(late.html).toContain('Approval expired');
		const { result } = await decide(state, { decision: 'approve', version_0: page.versions[0] });
		expect(result.statusCode).toBe(410);
		expect(result.resumed).toBe(false);
		expect(await env.outbox()).toHaveLength(0);
	});
});
