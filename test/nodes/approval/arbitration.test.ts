import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import { join } from 'path';
import type { IDataObject } from 'n8n-workflow';

import { loadPackage, loadRunExecutionData, type HarnessExecutionState, type LoadedPackage } from '../../harness';
import { decisionClientId, DECISION_LABEL } from '../../../nodes/AgentMailWaitForApproval/review/claim';
import { DECISION_GRACE_MS, DECISION_LEASE_MS } from '../../../nodes/AgentMailWaitForApproval/review/settings';
import type { ApprovalState } from '../../../nodes/AgentMailWaitForApproval/review/types';
import { useNodeEnv, type NodeEnv } from '../setup';
import { createDraft, formFields, getDraft, openPage, startApproval, submit } from './helpers';

const getEnv = useNodeEnv();
const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * A second n8n process: the same built package loaded again from a copy, so
 * its module state (the in-process decision lock) is its own.
 */
let otherProcess: LoadedPackage;
let copyDir: string;
beforeAll(async () => {
	// Inside the repo, so that the copy resolves n8n-workflow from its node_modules.
	mkdirSync(join(REPO_ROOT, '.n8n-run'), { recursive: true });
	copyDir = mkdtempSync(join(REPO_ROOT, '.n8n-run', 'second-process-'));
	cpSync(join(REPO_ROOT, 'package.json'), join(copyDir, 'package.json'));
	cpSync(join(REPO_ROOT, 'dist'), join(copyDir, 'dist'), { recursive: true });
	otherProcess = await loadPackage(copyDir);
	await loadPackage(REPO_ROOT);
});
afterAll(() => {
	rmSync(copyDir, { recursive: true, force: true });
});

function inOtherProcess(state: HarnessExecutionState): HarnessExecutionState {
	return { ...state, package: otherProcess };
}

afterEach(() => {
	jest.restoreAllMocks();
});

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
	const started = performance.now();
	while (!(await condition())) {
		if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** The approval's saved state, as the webhook reads it from the node context. */
function approvalState(state: HarnessExecutionState): ApprovalState {
	const data = loadRunExecutionData(state);
	const context = data.executionData?.contextData?.['node:Approval'] as IDataObject | undefined;
	return JSON.parse(String(context?.agentMailApproval)) as ApprovalState;
}

async function decisionRecords(env: NodeEnv): Promise<IDataObject[]> {
	const inbox = encodeURIComponent(env.inbox);
	const list = await env.api.get(`/v0/inboxes/${inbox}/drafts?labels=${encodeURIComponent(JSON.stringify([DECISION_LABEL]))}`);
	const records: IDataObject[] = [];
	for (const item of list.data.drafts as IDataObject[]) {
		records.push((await env.api.get(`/v0/inboxes/${inbox}/drafts/${encodeURIComponent(String(item.draft_id))}`)).data);
	}
	return records;
}

/** What a decision taken in another n8n process leaves in AgentMail before it acts. */
async function claimElsewhere(env: NodeEnv, state: HarnessExecutionState, verdict: 'approve' | 'reject') {
	const response = await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts`, {
		client_id: decisionClientId(approvalState(state)),
		labels: [DECISION_LABEL],
		subject: `Approval decision (${verdict})`,
		text: JSON.stringify({
			version: 1,
			token: 'other-process-token-0001',
			verdicts: [verdict],
			reviewer: 'lead@example.com',
			reason: verdict === 'reject' ? 'Wrong amount' : null,
			at: new Date().toISOString(),
		}),
	});
	expect(response.status).toBe(200);
}

describe('Wait for Approval: one decision, arbitrated by AgentMail', () => {
	it('a decision another n8n process claimed first: this submission changes nothing, resumes nothing and says what was decided', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		await claimElsewhere(env, state, 'reject');
		await env.clearRequests();

		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });

		expect(result.resumed).toBe(false);
		expect(result.statusCode).toBe(409);
		expect(result.rawBody).toContain('Already decided');
		expect(result.rawBody).toContain('rejected by lead@example.com');
		expect(result.rawBody).not.toContain('Decision recorded');
		expect(await env.outbox()).toHaveLength(0);
		const requests = await env.requests();
		expect(requests.filter((request) => request.method !== 'GET' && !String(request.path).endsWith('/drafts'))).toEqual([]);
		const held = (await getDraft(env, String(draft.draft_id))).data;
		expect(held.labels).toContain('pending-approval');
		expect(held.labels).not.toContain('approved');
	});

	it('the winning submission leaves exactly one decision record with its verdict, and a replay of it is "Already decided"', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		const fields = { ...formFields(page.html), decision: 'reject', reason: 'Not now', reviewer: 'ops@example.com' };
		const first = await submit(state, fields);
		expect(first.resumed).toBe(true);
		expect(first.rawBody).toContain('Decision recorded');
		const second = await submit(state, { ...fields, decision: 'approve' });
		expect(second.resumed).toBe(false);
		expect(second.rawBody).toContain('Already decided');
		expect(second.rawBody).toContain('rejected by ops@example.com');

		const records = await decisionRecords(env);
		expect(records).toHaveLength(1);
		expect(records[0].to ?? []).toEqual([]);
		expect(JSON.parse(String(records[0].text))).toMatchObject({ verdicts: ['reject'], reviewer: 'ops@example.com', reason: 'Not now' });
		expect(await env.outbox()).toHaveLength(0);
	});

	it('approve and reject submitted at the same instant in two n8n processes (no shared lock): exactly one acts, 6 of 6 trials', async () => {
		const env = getEnv();
		for (let trial = 0; trial < 6; trial++) {
			await env.admin.post('/_sandbox/reset');
			const draft = await createDraft(env);
			const state = await startApproval(env, [draft]);
			// Two reviewers' pages, or (last two trials) one page submitted twice: a double click reaching both processes.
			const pageA = await openPage(state);
			const pageB = trial >= 4 ? pageA : await openPage(state);
			const [a, b] = await Promise.all([
				submit(state, { ...formFields(pageA.html), decision: trial % 2 ? 'reject' : 'approve', reason: 'no' }),
				submit(inOtherProcess(state), { ...formFields(pageB.html), decision: trial % 2 ? 'approve' : 'reject', reason: 'no' }),
			]);
			expect(a.webhookError).toBeUndefined();
			expect(b.webhookError).toBeUndefined();
			const winners = [a, b].filter((result) => result.resumed);
			expect(winners).toHaveLength(1);
			const loser = a.resumed ? b : a;
			expect(loser.rawBody).toContain('Already decided');
			expect(winners[0].rawBody).toContain('Decision recorded');
			const approvedItems = winners[0].run!.output('Approval', 0);
			const outbox = await env.outbox();
			expect(outbox).toHaveLength(approvedItems.length);
			if (approvedItems.length === 0) {
				expect(winners[0].run!.output('Approval', 1)).toHaveLength(1);
				expect((await getDraft(env, String(draft.draft_id))).data.labels).toEqual(expect.arrayContaining(['rejected']));
			} else {
				expect(outbox[0].labels).not.toContain('rejected');
			}
		}
	});

	it('a decision accepted just before the limit finishes inside its lease, before n8n would resume on timeout', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { limitAmount: 1, limitUnit: 'minutes' });
		const limit = approvalState(state).settings.expiresAt;
		expect(new Date(state.waitTill as Date).getTime()).toBe(Date.parse(limit) + DECISION_GRACE_MS);
		const page = await openPage(state);
		// n8n's clock stands 100 ms before the limit while the decision runs.
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse(limit) - 100);

		const { statusCode, resumed, run } = await submit(state, { ...formFields(page.html), decision: 'approve' });

		expect(statusCode).toBe(200);
		expect(resumed).toBe(true);
		expect(run!.output('Approval', 0)[0].json).toMatchObject({ send_status: 'sent', decision: { status: 'approved' } });
		expect(await env.outbox()).toHaveLength(1);
		expect(DECISION_LEASE_MS).toBeLessThan(DECISION_GRACE_MS);
	});

	it('a decision whose lease ran out before it could act sends nothing and leaves as expired', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { limitAmount: 1, limitUnit: 'minutes' });
		const limit = Date.parse(approvalState(state).settings.expiresAt);
		const page = await openPage(state);
		// The claim takes AgentMail so long (in n8n's clock) that the lease is over when it returns.
		await env.fault({ method: 'POST', path: '/drafts', latency_ms: 600, count: 1 });
		jest.spyOn(Date, 'now').mockReturnValue(limit - 50);
		await env.clearRequests();
		const submitted = submit(state, { ...formFields(page.html), decision: 'approve' });
		await until(async () => (await env.requests()).some((request) => request.method === 'POST'));
		jest.spyOn(Date, 'now').mockReturnValue(limit + DECISION_LEASE_MS);
		const result = await submitted;

		expect(result.resumed).toBe(true);
		expect(result.run!.output('Approval', 1)[0].json).toMatchObject({ decision: { status: 'expired' } });
		expect(result.statusCode).toBe(410);
		expect(result.rawBody).toContain('Approval expired');
		expect(result.rawBody).not.toContain('Decision recorded');
		expect(await env.outbox()).toHaveLength(0);
		expect((await getDraft(env, String(draft.draft_id))).data.labels).not.toContain('approved');
	});

	it('On Timeout = Approve: a rejection that loses to AgentMail\'s scheduled send at the limit is told the email went, and leaves on Approved', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onTimeout: 'approve', limitAmount: 1, limitUnit: 'minutes' });
		const limit = Date.parse(approvalState(state).settings.expiresAt);
		const page = await openPage(state);
		await env.fault({ method: 'POST', path: '/drafts', latency_ms: 600, count: 1 });
		jest.spyOn(Date, 'now').mockReturnValue(limit - 100);
		await env.clearRequests();
		const submitted = submit(state, { ...formFields(page.html), decision: 'reject', reason: 'Too late?' });
		// AgentMail's schedule fires at the limit, while the rejection's claim is on its way.
		await until(async () => (await env.requests()).some((request) => request.method === 'POST'));
		const id = encodeURIComponent(String(draft.draft_id));
		expect((await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${id}/send`, {})).status).toBe(200);
		const result = await submitted;

		expect(result.resumed).toBe(true);
		expect(result.run!.output('Approval', 1)).toHaveLength(0);
		expect(result.run!.output('Approval', 0)[0].json).toMatchObject({ decision: { status: 'expired', via: 'timeout' } });
		expect(result.rawBody).toContain('already sent it at the time limit');
		// The rejection did not count: the page must not say it was recorded.
		expect(result.statusCode).toBe(409);
		expect(result.rawBody).toContain('Already sent at the time limit');
		expect(result.rawBody).not.toContain('Decision recorded');
		expect(await env.outbox()).toHaveLength(1);
	});

	it('a winning approval that AgentMail then fails to send leaves on Rejected as "failed", nothing sent, and the page says so', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft]);
		const page = await openPage(state);
		await env.fault({ method: 'POST', path: '/send', status: 500, count: 10 });
		const result = await submit(state, { ...formFields(page.html), decision: 'approve' });
		expect(result.resumed).toBe(true);
		expect(result.run!.output('Approval', 0)).toHaveLength(0);
		const [item] = result.run!.output('Approval', 1);
		expect(item.json).toMatchObject({ draft_id: draft.draft_id, message_id: null, decision: { status: 'failed' } });
		expect(String(item.json.error)).toMatch(/500/);
		expect(result.rawBody).toContain('could not be carried out');
		expect(result.rawBody).toContain('not carried out, nothing was sent');
		expect(await env.outbox()).toHaveLength(0);
		expect((await getDraft(env, String(draft.draft_id))).status).toBe(200);
	});

	it('On Timeout = Approve: a submission that arrives after AgentMail sent the draft at the limit is told so and resumes nothing', async () => {
		const env = getEnv();
		const draft = await createDraft(env);
		const state = await startApproval(env, [draft], { onTimeout: 'approve', limitAmount: 1, limitUnit: 'minutes' });
		const limit = Date.parse(approvalState(state).settings.expiresAt);
		const page = await openPage(state);
		const id = encodeURIComponent(String(draft.draft_id));
		expect((await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${id}/send`, {})).status).toBe(200);
		jest.spyOn(Date, 'now').mockReturnValue(limit - 50);
		const result = await submit(state, { ...formFields(page.html), decision: 'reject', reason: 'Stop it' });
		expect(result.resumed).toBe(false);
		expect(result.statusCode).toBe(409);
		expect(result.rawBody).toContain('Already sent at the time limit');
		expect(await env.outbox()).toHaveLength(1);
	});
});
