/**
 * The queue-mode set-up itself, one approval end to end: triggered through
 * webhook process A (the worker runs Create Draft and parks the execution),
 * the review link from the notification email opened and approved through
 * webhook process A, the execution resumed by the worker on Approved, and
 * the email sent once.
 */
import { httpRequest, sandboxOutbox } from '../helpers';
import { ArmedRequest } from './armed';
import {
	RequestLog,
	armSubmission,
	classifyPage,
	createApprovalWorkflow,
	judge,
	queueTarget,
	sandboxDraftsBySubject,
	startTrials,
	via,
} from './trials';

const target = queueTarget();

describe('queue mode: one approval through webhook process A', () => {
	it('webhook processes serve /webhook and /webhook-waiting, the main answers the API, the worker is healthy', async () => {
		expect((await httpRequest(`${target.webhook.A}/healthz/readiness`)).status).toBe(200);
		expect((await httpRequest(`${target.webhook.B}/healthz/readiness`)).status).toBe(200);
		expect((await httpRequest(`${queueTarget().main}/healthz/readiness`)).status).toBe(200);
		// The public API is the main's alone.
		expect((await httpRequest(`${target.webhook.A}/api/v1/workflows`)).status).toBe(404);
	});

	it('approve on A: Approved, sent once, "Decision recorded"', async () => {
		const wf = await createApprovalWorkflow(target, 'queue plumbing');
		const [trial] = await startTrials(target, wf, 'Plumbing', 1);
		expect(new URL(trial.link).origin).toBe(target.main);
		const log = new RequestLog();
		const armed: ArmedRequest = await armSubmission(target, trial, { process: 'A', verdict: 'approve', reviewer: 'Dana' });
		const response = await armed.fire();
		expect(classifyPage(response)).toMatchObject({ status: 200, kind: 'recorded' });
		await log.stop();
		const outcome = await judge(
			target,
			wf,
			'plumbing',
			trial,
			[{ process: 'A', verdict: 'approve', reviewer: 'Dana', response }],
			log,
			await sandboxOutbox(),
			await sandboxDraftsBySubject(),
		);
		expect(outcome.violations).toEqual([]);
		expect(outcome.branch).toBe('Approved');
		expect(outcome.decision).toMatchObject({ status: 'approved', by: 'Dana', via: 'form' });
		expect(outcome.sent).toHaveLength(1);
		// The link is dead for everyone now, on either process.
		const again = await httpRequest(via(trial.link, target.webhook.B));
		expect(again.text).toContain('No action required');
	});
});
