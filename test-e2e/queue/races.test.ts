/**
 * Issue 9's proof: races between reviewers, and against the deadline, in
 * n8n queue mode (one main, one worker, webhook processes A and B). Every
 * scenario runs QUEUE_E2E_TRIALS (default 20) trials; the POSTs of a trial
 * are connected first and released in the same tick. Each trial is judged
 * black-box (trials.ts, judge()): exactly one decision takes effect; the
 * email is sent (one copy) iff the execution left on Approved (On Approval =
 * Keep: the draft is kept and labelled approved iff it left on Approved);
 * nothing is sent twice; the page of the submission that counted says
 * "Decision recorded", every other page says that it did not count
 * ("Already decided", "expired", "already sent", or n8n's "No action
 * required" once the execution is over).
 *
 * Trials with at least one violation are counted per scenario; the table is
 * printed at the end and written to test-artifacts/queue-races.json with
 * every trial's details. A scenario with any violation fails.
 *
 * Deadline scenarios use the shortest Time Limit (1 minute): all trials of
 * an offset run in parallel executions, and the whole round waits for n8n's
 * wait tracker (it polls once a minute) to end the executions whose approval
 * did not count.
 */
import * as fs from 'fs';
import * as path from 'path';

import { ARTIFACTS_DIR, agentMailSandbox, sandboxOutbox, type OutboxMessage } from '../helpers';
import { ArmedRequest, fireTogether, type RawResponse } from './armed';
import {
	RequestLog,
	armSubmission,
	createApprovalWorkflow,
	draftSendAt,
	judge,
	queueTarget,
	sandboxDraftsBySubject,
	sleepUntil,
	startTrials,
	type ApprovalParameters,
	type ApprovalWorkflow,
	type Outcome,
	type Submission,
	type Trial,
} from './trials';

const TRIALS = Number(process.env.QUEUE_E2E_TRIALS || 20);
const target = queueTarget();
const terminal = ['success', 'error', 'crashed', 'canceled'] as const;
/** After the limit: the node's grace period (about 60 s) plus up to a minute of wait-tracker polling, plus slack. */
const AFTER_LIMIT_MS = 200_000;

const outcomes: Outcome[] = [];
const order: string[] = [];

function record(scenario: string, results: Outcome[]): void {
	order.push(scenario);
	outcomes.push(...results);
}

/** One line per violating trial, for the failure message. */
function violationsOf(scenario: string): string[] {
	return outcomes
		.filter((o) => o.scenario === scenario && o.violations.length > 0)
		.map((o) => `trial ${o.trial.index + 1} (execution ${o.trial.executionId}): ${o.violations.join('; ')}`);
}

function tally(keys: string[]): string {
	const counts = new Map<string, number>();
	for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
	return [...counts].map(([key, n]) => `${n}× ${key}`).join(', ');
}

function summaryRows(): Array<{ scenario: string; trials: number; violations: number; outcomes: string; pages: string }> {
	return order.map((scenario) => {
		const mine = outcomes.filter((o) => o.scenario === scenario);
		return {
			scenario,
			trials: mine.length,
			violations: mine.filter((o) => o.violations.length > 0).length,
			outcomes: tally(mine.map((o) => `${o.branch}/${String(o.decision?.status ?? '-')}${o.sent.length ? ' sent' : ''}`)),
			pages: tally(mine.flatMap((o) => o.submissions.map((s) => `${s.verdict} ${s.page.kind}`))),
		};
	});
}

afterAll(() => {
	const rows = summaryRows();
	if (rows.length === 0) return;
	const width = Math.max(8, ...rows.map((r) => r.scenario.length));
	const lines = [
		'',
		'Queue-mode approval races (trials with at least one violation):',
		`${'scenario'.padEnd(width)}  trials  violations  outcomes (branch/decision.status)`,
		...rows.map((r) => `${r.scenario.padEnd(width)}  ${String(r.trials).padStart(6)}  ${String(r.violations).padStart(10)}  ${r.outcomes}`),
		'',
		'Pages the reviewers got:',
		...rows.map((r) => `${r.scenario.padEnd(width)}  ${r.pages}`),
		'',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const file = path.join(ARTIFACTS_DIR, 'queue-races.json');
	fs.writeFileSync(
		file,
		`${JSON.stringify(
			{
				summary: rows,
				trials: outcomes.map((o) => ({
					scenario: o.scenario,
					trial: o.trial.index + 1,
					executionId: o.trial.executionId,
					draftId: o.trial.draftId,
					limitAt: new Date(o.trial.limitAt).toISOString(),
					limitFrom: o.trial.limitFrom,
					branch: o.branch,
					decision: o.decision,
					sent: o.sent.map((m) => ({ via: m.via, labels: m.labels, sent_at: m.sent_at })),
					sendRequests: o.sendRequests,
					draft: o.draft,
					executionStoppedAt: o.execution?.stoppedAt ?? null,
					submissions: o.submissions.map((s) => ({
						process: s.process,
						verdict: s.verdict,
						reviewer: s.reviewer,
						page: s.page,
						firedAt: s.firedAt ? new Date(s.firedAt).toISOString() : null,
						firedBeforeLimitMs: s.firedAt ? o.trial.limitAt - s.firedAt : null,
						answeredAfterMs: s.firedAt ? s.doneAt - s.firedAt : null,
					})),
					violations: o.violations,
				})),
			},
			null,
			2,
		)}\n`,
	);
	process.stdout.write(`Details: ${path.relative(process.cwd(), file)}\n`);
});

type Fired = Submission & { response?: RawResponse; error?: string };

/** Arm every submission, then release them in the same tick. */
async function fire(trial: Trial, submissions: Submission[], at?: number): Promise<Fired[]> {
	let armed: ArmedRequest[];
	try {
		armed = await Promise.all(submissions.map((s) => armSubmission(target, trial, s)));
	} catch (error) {
		return submissions.map((s) => ({ ...s, error: `could not connect: ${(error as Error).message}` }));
	}
	if (at !== undefined) await sleepUntil(at);
	const settled = await Promise.allSettled([fireTogether(armed)]);
	if (settled[0].status === 'fulfilled') {
		const responses = settled[0].value;
		return submissions.map((s, i) => ({ ...s, response: responses[i] }));
	}
	const reason = (settled[0].reason as Error).message;
	return submissions.map((s) => ({ ...s, error: reason }));
}

async function judgeAll(
	wf: ApprovalWorkflow,
	scenario: string,
	fired: Array<{ trial: Trial; submissions: Fired[] }>,
	log: RequestLog,
	finishBy: number,
): Promise<Outcome[]> {
	// Everything settles first (executions finished, late sends done), then one outbox snapshot.
	await Promise.all(
		fired.map(({ trial }) =>
			target.api
				.waitForExecution(trial.executionId, [...terminal], { timeoutMs: Math.max(5_000, finishBy - Date.now()), intervalMs: 1_000 })
				.catch(() => undefined),
		),
	);
	await new Promise((resolve) => setTimeout(resolve, 2_000));
	await log.stop();
	const outbox: OutboxMessage[] = await sandboxOutbox();
	const drafts = await sandboxDraftsBySubject();
	const results: Outcome[] = [];
	for (const { trial, submissions } of fired) {
		results.push(await judge(target, wf, scenario, trial, submissions, log, outbox, drafts, { finishTimeoutMs: 5_000 }));
	}
	return results;
}

/** TRIALS approvals, each decided by `submissions` released together. */
async function race(scenario: string, parameters: ApprovalParameters, submissions: Submission[]): Promise<void> {
	const wf = await createApprovalWorkflow(target, scenario, parameters);
	const log = new RequestLog();
	log.start();
	const trials = await startTrials(target, wf, scenario, TRIALS);
	const fired: Array<{ trial: Trial; submissions: Fired[] }> = [];
	for (const trial of trials) fired.push({ trial, submissions: await fire(trial, submissions) });
	record(scenario, await judgeAll(wf, scenario, fired, log, Date.now() + 60_000));
	expect(violationsOf(scenario)).toEqual([]);
}

const approveA: Submission = { process: 'A', verdict: 'approve', reviewer: 'Reviewer A' };
const approveB: Submission = { process: 'B', verdict: 'approve', reviewer: 'Reviewer B' };
const rejectB: Submission = { process: 'B', verdict: 'reject', reviewer: 'Reviewer B' };
const rejectA2: Submission = { process: 'A', verdict: 'reject', reviewer: 'Reviewer A2' };

describe(`two reviewers at the same instant (${TRIALS} trials each)`, () => {
	it('approve on webhook process A + reject on webhook process B', async () => {
		await race('approve A + reject B', {}, [approveA, rejectB]);
	});

	it('approve on A + approve on B', async () => {
		await race('approve A + approve B', {}, [approveA, approveB]);
	});

	it('approve + reject on the same process (A twice)', async () => {
		await race('approve A + reject A', {}, [approveA, rejectA2]);
	});

	it('On Approval = Keep: approve on A + reject on B', async () => {
		await race('keep: approve A + reject B', { onApproval: 'keep' }, [approveA, rejectB]);
	});
});

/** Offsets before the limit at which the lone Approve is released. */
const APPROVE_OFFSETS: Array<[string, number]> = [
	['approve at limit -1 s', 1_000],
	['approve at limit -500 ms', 500],
	['approve at limit -100 ms', 100],
	['approve at the limit', 0],
];
/** Reject before the scheduled send (On Timeout = Approve); the sandbox's scheduler is forced at the limit too. */
const REJECT_OFFSETS = [200, 100, 50, 0];
const SCHEDULED = 'reject vs scheduled send (On Timeout = Approve)';

describe(`the deadline: 1 minute limit, ${TRIALS} parallel executions per offset`, () => {
	let round: Promise<void>;

	beforeAll(() => {
		round = (async () => {
			const oneMinute: ApprovalParameters = { limitAmount: 1, limitUnit: 'minutes' };
			const approveWf = await createApprovalWorkflow(target, 'deadline approve', { ...oneMinute, onTimeout: 'reject' });
			const scheduledWf = await createApprovalWorkflow(target, 'deadline scheduled', { ...oneMinute, onTimeout: 'approve' });
			const log = new RequestLog();
			log.start();
			const groups: Array<Promise<{ scenario: string; wf: ApprovalWorkflow; fired: Array<{ trial: Trial; submissions: Fired[] }> }>> = [];
			let latestLimit = 0;
			const tooLate = (trial: Trial, at: number) =>
				new Error(`trial ${trial.subject} was ready only ${at - Date.now()} ms before its release time: the machine is too slow for this round`);

			// Groups are prepared one after another (a burst of 100 starts would delay the first ones' preparation
			// past their release time); once prepared, each trial waits for its own moment.
			for (const [scenario, offset] of APPROVE_OFFSETS) {
				const trials = await startTrials(target, approveWf, scenario, TRIALS);
				latestLimit = Math.max(latestLimit, ...trials.map((t) => t.limitAt));
				groups.push(
					Promise.all(
						trials.map(async (trial) => {
							const at = trial.limitAt - offset;
							if (at - Date.now() < 2_000) throw tooLate(trial, at);
							await sleepUntil(at - 1_500);
							return { trial, submissions: await fire(trial, [approveA], at) };
						}),
					).then((fired) => ({ scenario, wf: approveWf, fired })),
				);
			}
			const scheduledTrials = await startTrials(target, scheduledWf, SCHEDULED, TRIALS);
			groups.push(
				Promise.all(
					scheduledTrials.map(async (trial, index) => {
						// The send AgentMail scheduled at the limit is what the rejection races.
						const sendAt = (await draftSendAt(trial.draftId)) ?? trial.limitAt;
						latestLimit = Math.max(latestLimit, sendAt);
						const at = sendAt - REJECT_OFFSETS[index % REJECT_OFFSETS.length];
						if (at - Date.now() < 2_000) throw tooLate(trial, at);
						await sleepUntil(at - 1_500);
						const scheduler = await ArmedRequest.arm(`${agentMailSandbox().url}/_sandbox/scheduler/run`, {
							method: 'POST',
							body: '{}',
							headers: { 'content-type': 'application/json' },
						});
						const submissions = fire(trial, [rejectB], at);
						await sleepUntil(sendAt);
						await scheduler.fire().catch(() => undefined);
						return { trial: { ...trial, limitAt: sendAt }, submissions: await submissions };
					}),
				).then((fired) => ({ scenario: SCHEDULED, wf: scheduledWf, fired })),
			);

			const settled = await Promise.all(groups);
			const finishBy = latestLimit + AFTER_LIMIT_MS;
			// One judgement pass after everything settled; the request log covers the whole round.
			const all = settled.flatMap((g) => g.fired.map((f) => ({ ...f, wf: g.wf, scenario: g.scenario })));
			await Promise.all(
				all.map(({ trial }) =>
					target.api
						.waitForExecution(trial.executionId, [...terminal], { timeoutMs: Math.max(5_000, finishBy - Date.now()), intervalMs: 2_000 })
						.catch(() => undefined),
				),
			);
			await new Promise((resolve) => setTimeout(resolve, 2_000));
			await log.stop();
			const outbox = await sandboxOutbox();
			const drafts = await sandboxDraftsBySubject();
			for (const group of settled) {
				const results: Outcome[] = [];
				for (const { trial, submissions } of group.fired) {
					results.push(await judge(target, group.wf, group.scenario, trial, submissions, log, outbox, drafts, { finishTimeoutMs: 5_000 }));
				}
				record(group.scenario, results);
			}
		})();
		// Failures surface in the tests below.
		round.catch(() => undefined);
	});

	for (const [scenario] of APPROVE_OFFSETS) {
		it(scenario, async () => {
			await round;
			expect(violationsOf(scenario)).toEqual([]);
		});
	}

	it(`reject racing the scheduled send, ${REJECT_OFFSETS.map((o) => `-${o} ms`).join(', ')} (On Timeout = Approve)`, async () => {
		await round;
		expect(violationsOf(SCHEDULED)).toEqual([]);
	});
});
