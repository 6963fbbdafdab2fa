/**
 * AgentMail Wait for Approval in a real n8n 2.41.1, decided by a person in
 * headless Chromium. The workflow is the one a user builds:
 *
 *   Webhook -> AgentMail Create Draft -> Set "Resume Link" ($execution.resumeUrl)
 *           -> Wait for Approval (email to the approvers) -> Approved | Rejected
 *
 * The review link is read from the notification email in the sandbox
 * outbox, exactly as an approver gets it. Covered: approve with an edit,
 * reject with a reason, link scanners and chat previews (GET/HEAD under many
 * user agents decide nothing), late and replayed submissions, script
 * payloads in the draft, the shipped examples/approval.json, and expiry
 * (1 minute, On Timeout = reject). The
 * expiry run starts in beforeAll and is checked by the last test, because
 * n8n's wait tracker polls every 60 s and may fire it up to a minute late.
 *
 * The robustness tests came out of this suite finding real failures (now
 * fixed): a POST without a body, or a page view while AgentMail answers 5xx,
 * must not fail the waiting execution; overlapping submissions (double click,
 * Approve + Reject) must decide once; a recipient display name with "<" or
 * ">" must not block an unedited approval.
 *
 * What the browser saw (response headers, statuses per scanner, how late the
 * expiry fired) is written to test-artifacts/approval-e2e-observations.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

import {
	ARTIFACTS_DIR,
	N8nApi,
	agentMailSandbox,
	callWebhook,
	createAgentMailCredential,
	e2eState,
	httpRequest,
	launchBrowser,
	nodeOutput,
	saveScreenshot,
	type Credential,
	type Execution,
	type WorkflowNode,
} from './helpers';
import { startCanaryServer, type CanaryServer } from './helpers/canary';
import { SCANNERS } from './helpers/scanners';
import { formFields } from '../scripts/lib/review-form';
import {
	addSandboxFault,
	clearSandboxFaults,
	clearSandboxRequests,
	eventually,
	inboxPath,
	resetSandbox,
	sandboxApi,
	sandboxDraft,
	sandboxOutbox as allSandboxOutbox,
	sandboxRequests as allSandboxRequests,
	type OutboxMessage,
} from './helpers/sandboxAdmin';
import {
	agentMailNode,
	approvalNode,
	byId,
	connect,
	createWebhookWorkflow,
	layout,
	ranNodes,
	sandboxInbox,
	setNode,
	type WebhookWorkflow,
} from './helpers/workflows';
import { REVIEW_LINK } from './helpers/reviewLink';

const api = N8nApi.fromE2eState();
const APPROVER = 'ops@example.com';
const REQUESTED_BY = 'Refund agent (e2e)';
const WAIT = 'Wait for Approval';
const FORM = 'application/x-www-form-urlencoded';

let credential: Credential;
let browser: Browser;
let canary: CanaryServer;
const workflowIds: string[] = [];
const observations: Record<string, unknown> = {};

/** Webhook -> [Create Draft -> Resume Link ->] Wait for Approval -> Approved | Rejected. */
function approvalWorkflow(
	webhook: WorkflowNode,
	approvalParameters: Record<string, unknown>,
	options: { createDraft: boolean; inbox?: string },
): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	const inbox = options.inbox ? byId(options.inbox) : sandboxInbox();
	const draftNodes = options.createDraft
		? [
				agentMailNode('Create Draft', credential, {
					resource: 'draft',
					operation: 'create',
					inboxId: inbox,
					to: '={{ $json.body.to }}',
					subject: '={{ $json.body.subject }}',
					text: '={{ $json.body.text }}',
					additionalFields: { cc: "={{ $json.body.cc || '' }}", html: "={{ $json.body.html || '' }}" },
				}),
				// Exposes the plain $execution.resumeUrl, as a Slack message would carry it.
				setNode('Resume Link', { draft_id: '={{ $json.draft_id }}', resume_url: '={{ $execution.resumeUrl }}' }),
			]
		: [];
	// Without a Create Draft node, the draft id comes with the webhook call (an agent made the draft itself).
	const draftFrom = options.createDraft ? "$('Create Draft').item.json.draft_id" : "$('Webhook').item.json.body.draft_id";
	const nodes = layout([
		webhook,
		...draftNodes,
		approvalNode(WAIT, credential, {
			draftId: byId(options.createDraft ? '={{ $json.draft_id }}' : '={{ $json.body.draft_id }}'),
			notification: 'email',
			approvers: "={{ $('Webhook').item.json.body.approver }}",
			...(options.inbox ? { inboxId: inbox } : {}),
			notifyInbox: inbox,
			requestedBy: REQUESTED_BY,
			...approvalParameters,
		}),
		setNode('Approved', {
			status: '={{ $json.decision.status }}',
			via: '={{ $json.decision.via }}',
			message_id: '={{ $json.message_id }}',
			// Item lineage through the waiting node: an earlier node's item still resolves.
			draft_from_lineage: `={{ ${draftFrom} }}`,
		}),
		setNode('Rejected', {
			status: '={{ $json.decision.status }}',
			via: '={{ $json.decision.via }}',
			reason: '={{ $json.decision.reason }}',
			draft_from_lineage: `={{ ${draftFrom} }}`,
		}),
	]);
	const names = nodes.map((n) => n.name);
	const edges: Array<[string, number, string]> = [];
	for (let i = 0; i < names.indexOf(WAIT); i++) edges.push([names[i], 0, names[i + 1]]);
	edges.push([WAIT, 0, 'Approved'], [WAIT, 1, 'Rejected']);
	return { nodes, connections: connect(edges) };
}

interface StartedApproval {
	executionId: string;
	/** The signed per-node review link from the notification email. */
	link: string;
	notification: OutboxMessage;
	waiting: Execution;
	draftId: string;
	/** $execution.resumeUrl, from the "Resume Link" node (workflows with Create Draft only). */
	resumeUrl?: string;
}

/** Trigger the workflow, read the review link from the notification email, wait until the execution is parked. */
async function startApproval(
	wf: WebhookWorkflow,
	body: Record<string, unknown> & { subject: string },
): Promise<StartedApproval> {
	const response = await callWebhook(wf.path, { body: { approver: APPROVER, ...body } });
	expect(response.status).toBe(200);
	const notification = await eventually(
		async () => (await allSandboxOutbox()).find((m) => m.subject === `Approval needed: ${body.subject}`),
		{ what: `the notification for "${body.subject}"` },
	);
	const match = REVIEW_LINK.exec(String(notification.text));
	if (!match) throw new Error(`no review link in the notification:\n${notification.text}`);
	const executionId = match[1];
	const waiting = await api.waitForExecution(executionId, 'waiting', { timeoutMs: 30_000 });
	let draftId = String(body.draft_id ?? '');
	let resumeUrl: string | undefined;
	if (waiting.data?.resultData.runData['Resume Link']) {
		const [resume] = nodeOutput(waiting, 'Resume Link');
		draftId = String(resume.draft_id);
		resumeUrl = String(resume.resume_url);
	}
	return { executionId, link: match[0], notification, waiting, draftId, resumeUrl };
}

/** The items the approval node put on Approved (0) and Rejected (1) in its last run. */
function approvalOutputs(execution: Execution): {
	approved: Array<Record<string, unknown>>;
	rejected: Array<Record<string, unknown>>;
} {
	const runIndex = (execution.data?.resultData.runData[WAIT] ?? []).length - 1;
	return {
		approved: nodeOutput(execution, WAIT, { runIndex, outputIndex: 0 }),
		rejected: nodeOutput(execution, WAIT, { runIndex, outputIndex: 1 }),
	};
}

/** Checks for `ms` that the execution stays waiting (a resume would show as running/finished within milliseconds). */
async function expectStillWaiting(executionId: string, waitTill: string | null, ms = 1500): Promise<void> {
	const until = Date.now() + ms;
	do {
		const execution = await api.getExecution(executionId, { includeData: false });
		expect({ status: execution.status, waitTill: execution.waitTill }).toEqual({ status: 'waiting', waitTill });
		await new Promise((resolve) => setTimeout(resolve, 250));
	} while (Date.now() < until);
}

interface PageWatch {
	dialogs: string[];
	console: string[];
	errors: string[];
}

async function openPage(context: BrowserContext): Promise<{ page: Page; watch: PageWatch }> {
	const page = await context.newPage();
	const watch: PageWatch = { dialogs: [], console: [], errors: [] };
	page.on('dialog', (dialog) => {
		watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss().catch(() => undefined);
	});
	page.on('console', (message) => watch.console.push(`${message.type()}: ${message.text()}`));
	page.on('pageerror', (error) => watch.errors.push(error.message));
	return { page, watch };
}

async function newContext(): Promise<BrowserContext> {
	return await browser.newContext({ viewport: { width: 1100, height: 900 } });
}

/** Click a submit button and wait for the page the POST answered with. */
async function submit(page: Page, selector: string): Promise<Response> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
		page.click(selector),
	]);
	await page.waitForLoadState('domcontentloaded');
	return response;
}

async function outboxFor(draftId: string): Promise<OutboxMessage[]> {
	return (await sandboxOutbox()).filter((m) => m.draft_id === draftId);
}

let main: WebhookWorkflow;
let agentDrafts: WebhookWorkflow;
const expiry: { started?: StartedApproval; startedAt?: number; wf?: WebhookWorkflow } = {};
let deadlineWf: WebhookWorkflow;

/**
 * The deadline cases run in an inbox of their own and fire while other tests
 * run, so the other tests see only the main inbox's mail and requests.
 */
const DEADLINE_INBOX = 'deadline-e2e@agentmail.to';

async function sandboxOutbox(): Promise<OutboxMessage[]> {
	return (await allSandboxOutbox()).filter((message) => message.inbox_id !== DEADLINE_INBOX);
}

async function sandboxRequests(): ReturnType<typeof allSandboxRequests> {
	return (await allSandboxRequests()).filter((request) => !String(request.decoded_path).includes(DEADLINE_INBOX));
}

/** n8n waits this long past the time limit (DECISION_GRACE_MS in the node). */
const GRACE_MS = 60_000;

/**
 * Approvals POSTed around their time limit: 1 s, 500 ms and 100 ms before it
 * and at it. Started in beforeAll, each POST fired by a timer at its moment,
 * checked after the expiry test.
 */
interface DeadlineCase {
	offsetMs: number;
	started?: StartedApproval;
	limit?: number;
	posted?: Promise<{ status: number; text: string; postedAt: number }>;
}
const deadlineCases: DeadlineCase[] = [3000, 1000, 500, 100, 0].map((offsetMs) => ({ offsetMs }));

async function scheduleDeadlinePost(item: DeadlineCase): Promise<void> {
	const started = item.started!;
	const page = await httpRequest(started.link);
	expect(page.status).toBe(200);
	const fields = { ...formFields(page.text), decision: 'approve' };
	item.limit = Date.parse(String(started.waiting.waitTill)) - GRACE_MS;
	item.posted = new Promise((resolve, reject) => {
		setTimeout(() => {
			const postedAt = Date.now();
			httpRequest(started.link, {
				method: 'POST',
				body: new URLSearchParams(fields),
				headers: { 'content-type': FORM },
			}).then(({ status, text }) => resolve({ status, text, postedAt }), reject);
		}, Math.max(0, item.limit! - item.offsetMs - Date.now()));
	});
}

beforeAll(async () => {
	await resetSandbox();
	credential = await createAgentMailCredential(api);
	expect((await sandboxApi('POST', '/inboxes', { username: DEADLINE_INBOX.split('@')[0] })).status).toBe(200);
	[main, expiry.wf, agentDrafts, deadlineWf] = await Promise.all([
		createWebhookWorkflow(api, 'e2e approval', (webhook) => approvalWorkflow(webhook, {}, { createDraft: true })),
		createWebhookWorkflow(api, 'e2e approval expiry', (webhook) =>
			approvalWorkflow(webhook, { limitAmount: 1, limitUnit: 'minutes', onTimeout: 'reject' }, { createDraft: true }),
		),
		createWebhookWorkflow(api, 'e2e approval of an agent draft', (webhook) =>
			approvalWorkflow(webhook, {}, { createDraft: false }),
		),
		createWebhookWorkflow(api, 'e2e approval at the deadline', (webhook) =>
			approvalWorkflow(
				webhook,
				{ limitAmount: 1, limitUnit: 'minutes', onTimeout: 'reject' },
				{ createDraft: true, inbox: DEADLINE_INBOX },
			),
		),
	]);
	workflowIds.push(main.workflow.id, expiry.wf.workflow.id, agentDrafts.workflow.id, deadlineWf.workflow.id);
	// Started first, checked by the last test.
	expiry.startedAt = Date.now();
	expiry.started = await startApproval(expiry.wf, {
		to: 'late@example.com',
		subject: 'Expiring request [e]',
		text: 'Nobody will look at this in time.',
	});
	for (const item of deadlineCases) {
		item.started = await startApproval(deadlineWf, {
			to: 'deadline@example.com',
			subject: `Decided at the limit minus ${item.offsetMs} ms [d]`,
			text: 'Approved at the last moment, or not at all.',
		});
		await scheduleDeadlinePost(item);
	}
	[browser, canary] = await Promise.all([launchBrowser(), startCanaryServer()]);
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await canary?.close();
	await clearSandboxFaults().catch(() => undefined);
	for (const id of workflowIds) await api.deleteWorkflow(id).catch(() => undefined);
	if (credential) await api.deleteCredential(credential.id).catch(() => undefined);
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	fs.writeFileSync(path.join(ARTIFACTS_DIR, 'approval-e2e-observations.json'), `${JSON.stringify(observations, null, 2)}\n`);
});

describe('approve with an edit, in the browser', () => {
	const body = {
		to: 'Customer One <customer@example.com>',
		cc: 'billing@example.com',
		subject: 'Refund for order 1042 [a]',
		text: 'SECRET-BODY-TEXT: we refund $42 to your card.',
		html: '<p>SECRET-HTML-BODY: we refund <b>$42</b>.</p>',
	};
	const editedSubject = 'Your refund for order 1042 is on its way';
	let started: StartedApproval;
	let outboxBefore: number;

	beforeAll(async () => {
		outboxBefore = (await sandboxOutbox()).length;
		started = await startApproval(main, body);
	});

	it('parks the execution for 24 hours and holds the draft with the label pending-approval', async () => {
		expect(started.waiting.status).toBe('waiting');
		const waitTill = Date.parse(String(started.waiting.waitTill));
		expect(waitTill).toBeGreaterThan(Date.now() + 23.9 * 3600_000);
		expect(waitTill).toBeLessThan(Date.now() + 24.1 * 3600_000);
		const draft = await sandboxDraft(started.draftId);
		expect(draft.status).toBe(200);
		expect(draft.data.labels).toEqual(['pending-approval']);
		expect(await outboxFor(started.draftId)).toEqual([]);
	});

	it('emails the approver the subject, recipients, requester and review link, never the body', () => {
		const mail = started.notification;
		expect(mail).toMatchObject({ via: 'send', to: [APPROVER], inbox_id: agentMailSandbox().inboxId });
		expect(mail.labels).toContain('approval-request');
		const waitNode = main.workflow.nodes.find((n) => n.name === WAIT)!;
		expect(started.link.startsWith(`${e2eState().n8n.url}/webhook-waiting/${started.executionId}/${waitNode.id}?signature=`)).toBe(true);
		for (const content of [String(mail.text), String(mail.html)]) {
			expect(content).toContain(body.subject);
			expect(content).toContain(body.cc);
			expect(content).toContain(REQUESTED_BY);
			expect(content).toContain(started.link);
			expect(content).not.toContain('SECRET');
		}
		expect(mail.text).toContain(`To: ${body.to}`);
		expect(mail.text).toContain(`Cc: ${body.cc}`);
		expect(mail.html).toContain('Customer One &lt;customer@example.com&gt;');
	});

	it('shows the draft in Chromium, takes the edited subject on Approve, runs Approved and sends exactly one email', async () => {
		const context = await newContext();
		try {
			const { page, watch } = await openPage(context);
			const response = await page.goto(started.link, { waitUntil: 'load' });
			expect(response?.status()).toBe(200);
			const headers = await response!.allHeaders();
			observations.reviewPageHeaders = headers;
			expect(headers).toMatchObject({
				'content-type': 'text/html; charset=utf-8',
				'content-security-policy':
					"default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about:; base-uri 'none'; frame-ancestors 'none'",
				'x-content-type-options': 'nosniff',
				'referrer-policy': 'no-referrer',
				'cache-control': 'no-store',
				'x-robots-tag': 'noindex, nofollow',
			});
			expect(await page.title()).toBe('Review email before sending');
			await expect(page.locator('h1').textContent()).resolves.toBe('Review email before it is sent');
			// The body is shown here, and only here.
			await expect(page.locator('pre').first().textContent()).resolves.toBe(body.text);
			await expect(page.locator('iframe').getAttribute('srcdoc')).resolves.toContain(body.html);
			await expect(page.locator('input[name="subject_0"]').inputValue()).resolves.toBe(body.subject);
			await expect(page.locator('input[name="to_0"]').inputValue()).resolves.toBe(body.to);
			await expect(page.locator('input[name="cc_0"]').inputValue()).resolves.toBe(body.cc);
			// Styles applied (the page is not unstyled): the Approve button is green.
			await expect(
				page.locator('button[value="approve"]').evaluate((b) => getComputedStyle(b).backgroundColor),
			).resolves.toBe('rgb(21, 128, 61)');
			await saveScreenshot(page, 'approval-review-before');

			await page.fill('input[name="subject_0"]', editedSubject);
			await page.fill('input[name="reviewer"]', 'Dana (ops)');
			const decided = await submit(page, 'button[name="decision"][value="approve"]');
			expect(decided.status()).toBe(200);
			observations.decisionPageHeaders = await decided.allHeaders();
			await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
			await expect(page.locator('li').first().textContent()).resolves.toBe(`${started.draftId}: approved and sent`);
			await saveScreenshot(page, 'approval-review-after');
			expect(watch).toEqual({ dialogs: [], console: [], errors: [] });
		} finally {
			await context.close();
		}

		const execution = await api.waitForExecution(started.executionId, 'success', { timeoutMs: 30_000 });
		expect(ranNodes(execution)).toContain('Approved');
		expect(ranNodes(execution)).not.toContain('Rejected');
		const { approved, rejected } = approvalOutputs(execution);
		expect(rejected).toEqual([]);
		expect(approved).toHaveLength(1);
		expect(approved[0]).toMatchObject({
			draft_id: started.draftId,
			inbox_id: agentMailSandbox().inboxId,
			send_status: 'sent',
			message_id: expect.stringMatching(/^<.+>$/),
			thread_id: expect.any(String),
			decision: {
				status: 'approved',
				by: 'Dana (ops)',
				via: 'form',
				reason: null,
				edited: true,
				changes: { subject: { from: body.subject, to: editedSubject } },
			},
			result: { subject: editedSubject },
		});
		expect(nodeOutput(execution, 'Approved')).toEqual([
			{ status: 'approved', via: 'form', message_id: approved[0].message_id, draft_from_lineage: started.draftId },
		]);

		const outbox = await sandboxOutbox();
		expect(outbox).toHaveLength(outboxBefore + 2); // the notification and the approved email
		const sent = await outboxFor(started.draftId);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			via: 'draft',
			message_id: approved[0].message_id,
			subject: editedSubject,
			to: [body.to],
			cc: [body.cc],
			text: body.text,
			html: body.html,
		});
		expect(sent[0].labels).toEqual(expect.arrayContaining(['approved', 'sent']));
		expect(sent[0].labels).not.toContain('pending-approval');
		// AgentMail deletes a draft once it is sent.
		expect((await sandboxDraft(started.draftId)).status).toBe(404);
	});
});

describe('reject with a reason, in the browser', () => {
	const body = { to: 'customer@example.com', subject: 'Refund for order 2001 [b]', text: 'We refund $4200 to your card.' };
	const reason = 'Wrong amount: it is $42, not $4200';
	let started: StartedApproval;
	let outboxBefore: number;

	beforeAll(async () => {
		outboxBefore = (await sandboxOutbox()).length;
		started = await startApproval(main, body);
	});

	it('refuses a rejection without a reason, then rejects: Rejected branch, draft labelled rejected, nothing sent', async () => {
		const context = await newContext();
		try {
			const { page, watch } = await openPage(context);
			expect((await page.goto(started.link))?.status()).toBe(200);

			const refused = await submit(page, 'button[name="decision"][value="reject"]');
			expect(refused.status()).toBe(400);
			await expect(page.locator('.errors').textContent()).resolves.toBe(
				'Nothing was decided.Enter a reason for the rejection',
			);
			await saveScreenshot(page, 'approval-review-reject-needs-reason');
			await expectStillWaiting(started.executionId, started.waiting.waitTill, 500);

			await page.fill('input[name="reviewer"]', 'Dana (ops)');
			await page.fill('textarea[name="reason"]', reason);
			const decided = await submit(page, 'button[name="decision"][value="reject"]');
			expect(decided.status()).toBe(200);
			await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
			await expect(page.locator('li').first().textContent()).resolves.toBe(`${started.draftId}: rejected (${reason})`);
			expect(watch.dialogs).toEqual([]);
			expect(watch.errors).toEqual([]);
		} finally {
			await context.close();
		}

		const execution = await api.waitForExecution(started.executionId, 'success', { timeoutMs: 30_000 });
		expect(ranNodes(execution)).toContain('Rejected');
		expect(ranNodes(execution)).not.toContain('Approved');
		const { approved, rejected } = approvalOutputs(execution);
		expect(approved).toEqual([]);
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({
			draft_id: started.draftId,
			message_id: null,
			thread_id: null,
			send_status: '',
			decision: { status: 'rejected', by: 'Dana (ops)', via: 'form', reason, edited: false, changes: {} },
		});
		expect(nodeOutput(execution, 'Rejected')).toEqual([
			{ status: 'rejected', via: 'form', reason, draft_from_lineage: started.draftId },
		]);

		const draft = await sandboxDraft(started.draftId);
		expect(draft.status).toBe(200);
		expect(draft.data.labels).toEqual(['rejected']);
		expect(draft.data.send_at ?? null).toBeNull();
		expect(draft.data.subject).toBe(body.subject);
		expect(await outboxFor(started.draftId)).toEqual([]);
		expect(await sandboxOutbox()).toHaveLength(outboxBefore + 1); // the notification only
	});
});

const SCAN_METHODS = ['GET', 'HEAD', 'GET', 'HEAD', 'GET'];

describe('link scanners and chat previews', () => {
	let started: StartedApproval;
	let outboxBefore: number;
	let draftBefore: Record<string, unknown>;
	const statuses: Record<string, number[]> = {};

	beforeAll(async () => {
		started = await startApproval(main, {
			to: 'customer@example.com',
			subject: 'Scanned link [c]',
			text: 'Scanners must not decide this.',
		});
		outboxBefore = (await sandboxOutbox()).length;
		draftBefore = (await sandboxDraft(started.draftId)).data;
		await clearSandboxRequests();
		for (const [name, userAgent] of Object.entries(SCANNERS)) {
			const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'text/html,*/*;q=0.8' };
			for (const method of SCAN_METHODS) {
				const result = await httpRequest(started.link, { method, headers });
				(statuses[`${method} ${name}`] ??= []).push(result.status);
				if (method === 'GET') {
					expect(result.text).toContain('<h1>Review email before it is sent</h1>');
					expect(result.headers.get('content-security-policy')).toContain("default-src 'none'");
				}
			}
		}
		observations.scannerStatuses = statuses;
	});

	it('answers every GET with the review page and every HEAD with 200 (n8n answers HEAD itself)', () => {
		for (const [key, codes] of Object.entries(statuses)) {
			expect([key, codes]).toEqual([key, key.startsWith('GET') ? [200, 200, 200] : [200, 200]]);
		}
	});

	it('refuses a tampered signature with 401', async () => {
		const tampered = new URL(started.link);
		tampered.searchParams.set('signature', `${tampered.searchParams.get('signature')!.slice(0, -2)}xx`);
		for (const method of ['GET', 'POST']) {
			const result = await httpRequest(tampered.toString(), {
				method,
				body: method === 'POST' ? new URLSearchParams({ decision: 'approve' }) : undefined,
			});
			expect([method, result.status]).toEqual([method, 401]);
		}
	});

	it('leaves the execution waiting, the draft unchanged and the outbox as it was', async () => {
		await expectStillWaiting(started.executionId, started.waiting.waitTill);
		// Taken first: reading the draft below is a request too.
		const requests = await sandboxRequests();
		const draft = (await sandboxDraft(started.draftId)).data;
		expect(draft).toEqual(draftBefore);
		expect(draft.labels).toEqual(['pending-approval']);
		expect(await sandboxOutbox()).toHaveLength(outboxBefore);
		// The node only ever read the draft: one GET per page view; HEAD and bad signatures never reached it.
		const pageViews = Object.keys(SCANNERS).length * SCAN_METHODS.filter((m) => m === 'GET').length;
		expect(requests).toHaveLength(pageViews);
		expect(new Set(requests.map((r) => `${r.method} ${r.decoded_path}`))).toEqual(
			new Set([`GET /v0/inboxes/${agentMailSandbox().inboxId}/drafts/${started.draftId}`]),
		);
	});
});

describe('late and replayed submissions', () => {
	let started: StartedApproval;

	beforeAll(async () => {
		started = await startApproval(main, {
			to: 'customer@example.com',
			subject: 'Replayed form [d]',
			text: 'Approve me once, and only once.',
		});
	});

	it('serves the same review page on the plain $execution.resumeUrl while waiting', async () => {
		const signature = new URL(started.resumeUrl!).searchParams.get('signature');
		expect(started.resumeUrl).toBe(`${e2eState().n8n.url}/webhook-waiting/${started.executionId}?signature=${signature}`);
		const page = await httpRequest(started.resumeUrl!);
		expect(page.status).toBe(200);
		expect(page.text).toContain('<h1>Review email before it is sent</h1>');
		expect(page.text).toContain('Replayed form [d]');
		await expectStillWaiting(started.executionId, started.waiting.waitTill, 500);
	});

	it('after a decision, a stale second tab, the back button and a replayed POST change nothing', async () => {
		const context = await newContext();
		try {
			const first = await openPage(context);
			const second = await openPage(context);
			await first.page.goto(started.link);
			await second.page.goto(started.link);
			// What the form would submit, for a replay by script later.
			const fields = await second.page.evaluate(() =>
				Object.fromEntries(
					Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('form input[name], form textarea[name]')).map(
						(field) => [field.name, field.value],
					),
				),
			);
			expect(fields).toMatchObject({ subject_0: 'Replayed form [d]', version_0: expect.any(String) });

			const decided = await submit(first.page, 'button[name="decision"][value="approve"]');
			expect(decided.status()).toBe(200);
			await expect(first.page.locator('h1').textContent()).resolves.toBe('Decision recorded');
			const finished = await api.waitForExecution(started.executionId, 'success', { timeoutMs: 30_000 });
			const sent = (await allSandboxOutbox()).filter((m) => m.draft_id === started.draftId);
			expect(sent).toHaveLength(1);
			const outboxAfterDecision = (await sandboxOutbox()).length;

			// The tab that was still open: a late click shows n8n's page for finished send-and-wait executions.
			const late = await submit(second.page, 'button[name="decision"][value="approve"]');
			observations.lateClick = { status: late.status(), headers: await late.allHeaders() };
			await expect(second.page.title()).resolves.toBe('No action required');
			await expect(second.page.locator('h1').textContent()).resolves.toBe('No action required');
			await saveScreenshot(second.page, 'approval-review-late-click');

			// Back to the form in the first tab: re-fetched (no-store), the link now shows the same page.
			const back = await first.page.goBack();
			observations.backButton = { status: back?.status() };
			await expect(first.page.title()).resolves.toBe('No action required');

			// The same form fields replayed by a script.
			const replay = await httpRequest(started.link, {
				method: 'POST',
				body: new URLSearchParams({ ...fields, decision: 'approve' }),
				headers: { 'content-type': FORM },
			});
			observations.replayedPost = { status: replay.status };
			expect(replay.status).toBe(200);
			expect(replay.text).toContain('No action required');

			// The plain $execution.resumeUrl answers 409 once the execution is over.
			for (const method of ['GET', 'POST']) {
				const plain = await httpRequest(started.resumeUrl!, {
					method,
					body: method === 'POST' ? new URLSearchParams({ ...fields, decision: 'reject', reason: 'late' }) : undefined,
					headers: method === 'POST' ? { 'content-type': FORM } : {},
				});
				observations[`plainResumeUrl${method}AfterDecision`] = { status: plain.status, body: plain.json };
				expect([method, plain.status]).toEqual([method, 409]);
				expect((plain.json as { message: string }).message).toMatch(/has finished already/);
			}

			expect(await sandboxOutbox()).toHaveLength(outboxAfterDecision);
			expect(await outboxFor(started.draftId)).toEqual(sent);
			const after = await api.getExecution(started.executionId, { includeData: true });
			expect(after.status).toBe('success');
			expect(after.stoppedAt).toBe(finished.stoppedAt);
			expect(after.data?.resultData.runData.Approved).toHaveLength(1);
			expect(ranNodes(after)).not.toContain('Rejected');
			expect(first.watch.dialogs).toEqual([]);
			expect(second.watch.dialogs).toEqual([]);
		} finally {
			await context.close();
		}
	});
});

describe('script payloads in a draft (made by an agent through AgentMail)', () => {
	it('renders every payload as inert text: no dialog, no console marker, no request to the canary', async () => {
		const c = canary.url;
		// AgentMail accepts quoted display names with markup; the AgentMail node would refuse them, so the draft is made directly.
		const payload = {
			to: [`"<img src=x onerror=console.log('XSS-MARKER-to')>" <victim@example.com>`],
			cc: [`"</dd><script>console.log('XSS-MARKER-cc')</script>" <cc@example.com>`],
			subject: `<script>console.log('XSS-MARKER-subject');alert('subject')</script><img src="${c}/subject.gif" onerror="console.log('XSS-MARKER-subject-img')">"'><svg onload=alert(1)>`,
			text: `</pre></dd></textarea><script>console.log('XSS-MARKER-text');alert('text')</script><img src="${c}/text.gif" onerror="console.log('XSS-MARKER-text-img')">`,
			html: [
				`<script>console.log('XSS-MARKER-html');alert('html')</script>`,
				`<img src="${c}/html.gif">`,
				`<img src=x onerror="console.log('XSS-MARKER-html-img');alert('img')">`,
				`<link rel="stylesheet" href="${c}/html.css">`,
				`<div style="background:url(${c}/background.gif)">styled</div>`,
				`<iframe src="${c}/frame.html"></iframe>`,
				`<a href="javascript:console.log('XSS-MARKER-link')">link</a>`,
				`"></iframe></textarea><script>console.log('XSS-MARKER-srcdoc-break')</script>`,
				`<p>Real content of the email</p>`,
			].join('\n'),
		};
		const reason = `<script>console.log('XSS-MARKER-reason')</script><img src="${c}/reason.gif"> no`;
		const created = await sandboxApi<{ draft_id: string }>('POST', `${inboxPath()}/drafts`, payload);
		expect(created.status).toBe(200);
		const started = await startApproval(agentDrafts, { draft_id: created.data.draft_id, subject: payload.subject });

		// The notification escapes subject and recipients as well.
		expect(started.notification.html).not.toMatch(/<script|<img|<svg/);
		expect(started.notification.html).toContain('&lt;script&gt;');

		const context = await newContext();
		try {
			const { page, watch } = await openPage(context);
			const response = await page.goto(started.link, { waitUntil: 'load' });
			expect(response?.status()).toBe(200);
			await page.waitForTimeout(1000); // anything async (image errors, timers) would have happened by now
			await saveScreenshot(page, 'approval-review-xss');
			observations.xssPageConsole = watch.console;

			expect(watch.dialogs).toEqual([]);
			expect(watch.console.filter((line) => line.includes('XSS-MARKER'))).toEqual([]);
			expect(watch.errors).toEqual([]);
			expect(canary.hits).toEqual([]);

			// Nothing of the payloads became markup in the page itself.
			const dom = await page.evaluate(() => ({
				scripts: document.scripts.length,
				images: document.images.length,
				svgs: document.querySelectorAll('svg').length,
				links: document.querySelectorAll('link, a').length,
				forms: document.forms.length,
				iframes: Array.from(document.querySelectorAll('iframe')).map((f) => ({
					sandbox: f.getAttribute('sandbox'),
					srcdoc: f.getAttribute('srcdoc'),
				})),
				cells: Object.fromEntries(
					Array.from(document.querySelectorAll('dt')).map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? '']),
				),
			}));
			expect(dom).toMatchObject({ scripts: 0, images: 0, svgs: 0, links: 0, forms: 1 });
			expect(dom.iframes).toHaveLength(1);
			expect(dom.iframes[0].sandbox).toBe('');
			expect(dom.iframes[0].srcdoc).toMatch(/^<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
			expect(dom.iframes[0].srcdoc!.endsWith(payload.html)).toBe(true);
			expect(dom.cells).toMatchObject({
				To: payload.to[0],
				Cc: payload.cc[0],
				Subject: payload.subject,
				'Text body': payload.text,
			});
			await expect(page.locator('input[name="subject_0"]').inputValue()).resolves.toBe(payload.subject);
			await expect(page.locator('input[name="to_0"]').inputValue()).resolves.toBe(payload.to[0]);
			await expect(page.locator('input[name="cc_0"]').inputValue()).resolves.toBe(payload.cc[0]);
			await expect(page.locator('textarea[name="text_0"]').inputValue()).resolves.toBe(payload.text);
			await expect(page.locator('textarea[name="html_0"]').inputValue()).resolves.toBe(payload.html);

			// Rejecting with a script in the reason: the decision page shows it as text.
			await page.fill('textarea[name="reason"]', reason);
			const decided = await submit(page, 'button[name="decision"][value="reject"]');
			expect(decided.status()).toBe(200);
			await page.waitForTimeout(500);
			await expect(page.locator('li').first().textContent()).resolves.toBe(`${started.draftId}: rejected (${reason})`);
			await expect(page.evaluate(() => document.scripts.length + document.images.length)).resolves.toBe(0);
			expect(watch.dialogs).toEqual([]);
			expect(watch.console.filter((line) => line.includes('XSS-MARKER'))).toEqual([]);
			expect(canary.hits).toEqual([]);
		} finally {
			await context.close();
		}
		const execution = await api.waitForExecution(started.executionId, 'success', { timeoutMs: 30_000 });
		expect(nodeOutput(execution, 'Rejected')).toEqual([
			{ status: 'rejected', via: 'form', reason, draft_from_lineage: created.data.draft_id },
		]);
		expect(await outboxFor(created.data.draft_id)).toEqual([]);
	});
});

describe('the shipped example examples/approval.json', () => {
	it('imported as is (only the credential swapped) waits for approval and sends once approved', async () => {
		const file = path.join(__dirname, '..', 'examples', 'approval.json');
		const example = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: WorkflowNode[] };
		const nodes = example.nodes.map((node) =>
			node.credentials ? { ...node, credentials: { agentMailApi: { id: credential.id, name: credential.name } } } : node,
		);
		const workflow = await api.importWorkflowFile(file, { nodes });
		workflowIds.push(workflow.id);
		await api.activateWorkflow(workflow.id);
		const webhookPath = String(nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!.parameters.path);
		const subject = 'About your refund [example]';
		const response = await callWebhook(webhookPath, { body: { subject, to: 'customer@example.com' } });
		expect(response.status).toBe(200);
		const notification = await eventually(
			async () => (await sandboxOutbox()).find((m) => m.subject === `Approval needed: ${subject}`),
			{ what: 'the example\'s notification' },
		);
		expect(notification.to).toEqual(['ops@agentmail.to']);
		expect(notification.text).toContain('Refund agent');
		const link = REVIEW_LINK.exec(String(notification.text))![0];
		const executionId = REVIEW_LINK.exec(link)![1];
		await api.waitForExecution(executionId, 'waiting', { timeoutMs: 30_000 });

		const form = await httpRequest(link);
		expect(form.text).toContain('Hi! We have approved your refund of $42.');
		const version = /name="version_0" value="([^"]*)"/.exec(form.text)![1];
		const decided = await httpRequest(link, {
			method: 'POST',
			body: new URLSearchParams({ decision: 'approve', version_0: version, reviewer: 'Dana (ops)' }),
			headers: { 'content-type': FORM },
		});
		expect(decided.status).toBe(200);
		const execution = await api.waitForExecution(executionId, 'success', { timeoutMs: 30_000 });
		const [approved] = nodeOutput(execution, 'Approved');
		const sent = (await sandboxOutbox()).filter((m) => m.subject === subject && m.via === 'draft');
		expect(sent).toHaveLength(1);
		expect(sent[0].to).toEqual(['customer@example.com']);
		expect(approved).toEqual({ outcome: `approved by Dana (ops); message ${sent[0].message_id}` });
		expect(ranNodes(execution)).not.toContain('Rejected');
	});
});

describe('robustness of the review webhook', () => {
	it('a POST without a body (empty form) must decide nothing and keep the approval waiting', async () => {
		const started = await startApproval(main, { to: 'customer@example.com', subject: 'Empty POST [robust]', text: 'x' });
		const empty = await httpRequest(started.link, { method: 'POST', body: new URLSearchParams(), headers: { 'content-type': FORM } });
		observations.emptyPost = { status: empty.status, body: empty.text.slice(0, 300) };
		await new Promise((resolve) => setTimeout(resolve, 1500));
		observations.emptyPost = {
			...(observations.emptyPost as object),
			executionAfter: (await api.getExecution(started.executionId, { includeData: false })).status,
		};
		expect(empty.status).toBe(400);
		expect(empty.text).toContain('Draft: choose Approve or Reject');
		await expectStillWaiting(started.executionId, started.waiting.waitTill, 500);
	});

	it('opening the link while AgentMail answers 503 must show an error page and keep the approval waiting', async () => {
		const started = await startApproval(main, { to: 'customer@example.com', subject: 'AgentMail outage [robust]', text: 'x' });
		await addSandboxFault({ method: 'GET', path: `/drafts/${started.draftId}`, status: 503, count: 10 });
		const opened = await httpRequest(started.link);
		await clearSandboxFaults();
		observations.getDuringOutage = { status: opened.status, body: opened.text.slice(0, 300) };
		await new Promise((resolve) => setTimeout(resolve, 1500));
		observations.getDuringOutage = {
			...(observations.getDuringOutage as object),
			executionAfter: (await api.getExecution(started.executionId, { includeData: false })).status,
		};
		expect(opened.status).toBeGreaterThanOrEqual(500);
		await expectStillWaiting(started.executionId, started.waiting.waitTill, 500);
		// Once AgentMail is back, the same link works.
		expect((await httpRequest(started.link)).status).toBe(200);
	});

	/**
	 * Two submissions overlapping in time (a double click, or two approvers).
	 * The sandbox delays its answer to the first submission's read of the
	 * draft by 800 ms, so the first acts on what it read while the second
	 * one decides in the meantime: an interleaving that happens by chance
	 * (6 of 20 plain double clicks here ended with the execution in error).
	 */
	async function overlappingSubmissions(subject: string, first: Record<string, string>, second: Record<string, string>) {
		const started = await startApproval(main, { to: 'customer@example.com', subject, text: 'Clicked twice.' });
		const version = /name="version_0" value="([^"]*)"/.exec((await httpRequest(started.link)).text)?.[1];
		expect(version).toBeTruthy();
		await addSandboxFault({ method: 'GET', path: `/drafts/${started.draftId}`, latency_ms: 800, count: 1 });
		const post = (fields: Record<string, string>) =>
			httpRequest(started.link, {
				method: 'POST',
				body: new URLSearchParams({ version_0: version!, ...fields }),
				headers: { 'content-type': FORM },
			});
		const firstAnswer = post(first);
		await new Promise((resolve) => setTimeout(resolve, 250));
		const answers = await Promise.all([firstAnswer, post(second)]);
		await clearSandboxFaults();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const execution = await api.getExecution(started.executionId, { includeData: true });
		return { started, answers, execution, sent: await outboxFor(started.draftId) };
	}

	it('a double click on Approve sends once and the execution ends as success on Approved', async () => {
		const { answers, execution, sent } = await overlappingSubmissions(
			'Double click [robust]',
			{ decision: 'approve' },
			{ decision: 'approve' },
		);
		observations.doubleClick = {
			answers: answers.map((a) => ({ status: a.status, text: /<title>([^<]*)/.exec(a.text)?.[1] ?? a.text.slice(0, 120) })),
			execution: execution.status,
			error: execution.data?.resultData.error?.message,
			ran: ranNodes(execution),
			sent: sent.length,
		};
		expect(sent).toHaveLength(1);
		expect(execution.status).toBe('success');
		expect(ranNodes(execution)).toEqual(expect.arrayContaining(['Webhook', 'Create Draft', WAIT, 'Approved']));
		// Both clicks get a page of the review form: "Decision recorded" or "Already decided", never n8n's JSON 500.
		for (const answer of answers) {
			expect([200, 409]).toContain(answer.status);
			expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
		}
	});

	it('Approve and Reject at the same moment never send the email while the workflow goes on as Rejected', async () => {
		const { answers, execution, sent } = await overlappingSubmissions(
			'Approve and reject [robust]',
			{ decision: 'approve' },
			{ decision: 'reject', reason: 'Not this one' },
		);
		observations.approveAndReject = {
			answers: answers.map((a) => ({ status: a.status, text: /<li>([^<]*)/.exec(a.text)?.[1] ?? a.text.slice(0, 120) })),
			execution: execution.status,
			ran: ranNodes(execution),
			sent: sent.map((m) => ({ subject: m.subject, labels: m.labels })),
		};
		const wentRejected = ranNodes(execution).includes('Rejected');
		expect({ sent: sent.length, wentRejected }).toEqual(wentRejected ? { sent: 0, wentRejected } : { sent: 1, wentRejected });
		// Exactly one of the two people may be told that their decision was recorded; the other gets a page too.
		expect(answers.filter((a) => a.text.includes('Decision recorded'))).toHaveLength(1);
		for (const answer of answers) {
			expect([200, 409]).toContain(answer.status);
			expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
		}
	});

	it('a draft whose recipient display name contains "<" or ">" can be approved without editing', async () => {
		const to = '"ACME <Billing>" <billing@acme.example>';
		const created = await sandboxApi<{ draft_id: string }>('POST', `${inboxPath()}/drafts`, {
			to: [to],
			subject: 'Invoice 77 [robust]',
			text: 'Your invoice.',
		});
		expect(created.status).toBe(200);
		const started = await startApproval(agentDrafts, { draft_id: created.data.draft_id, subject: 'Invoice 77 [robust]' });
		const context = await newContext();
		try {
			const { page } = await openPage(context);
			await page.goto(started.link);
			await expect(page.locator('input[name="to_0"]').inputValue()).resolves.toBe(to);
			const decided = await submit(page, 'button[name="decision"][value="approve"]');
			observations.displayNameWithBrackets = {
				status: decided.status(),
				errors: (await page.locator('.errors').count()) ? await page.locator('.errors').textContent() : null,
			};
			expect(decided.status()).toBe(200);
		} finally {
			await context.close();
		}
		await api.waitForExecution(started.executionId, 'success', { timeoutMs: 30_000 });
		expect(await outboxFor(created.data.draft_id)).toHaveLength(1);
	});
});

describe('expiry (started in beforeAll, checked last)', () => {
	it('after the 1 minute limit (and the 1 minute decision grace): Rejected branch with decision "expired" via "timeout", Approved not run, nothing sent', async () => {
		const { started, startedAt } = expiry as Required<typeof expiry>;
		// n8n waits the time limit plus the decision grace period (DECISION_GRACE_MS).
		expect(Math.abs(Date.parse(String(started.waiting.waitTill)) - (startedAt + 120_000))).toBeLessThan(15_000);
		const execution = await api.waitForExecution(started.executionId, 'success', {
			timeoutMs: Math.max(5_000, startedAt + 210_000 - Date.now()),
			intervalMs: 1000,
		});
		observations.expiryFiredAfterSeconds = (Date.parse(String(execution.stoppedAt)) - startedAt) / 1000;
		expect(ranNodes(execution)).toContain('Rejected');
		expect(ranNodes(execution)).not.toContain('Approved');
		const { approved, rejected } = approvalOutputs(execution);
		expect(approved).toEqual([]);
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({
			draft_id: started.draftId,
			message_id: null,
			send_status: '',
			decision: {
				status: 'expired',
				via: 'timeout',
				by: null,
				edited: false,
				reason: expect.stringMatching(/^No decision before \d{4}-/),
			},
		});
		expect(nodeOutput(execution, 'Rejected')).toEqual([
			{
				status: 'expired',
				via: 'timeout',
				reason: (rejected[0].decision as { reason: string }).reason,
				draft_from_lineage: started.draftId,
			},
		]);
		// Nothing sent; the draft keeps its pending-approval label and has no schedule.
		expect(await outboxFor(started.draftId)).toEqual([]);
		const draft = await sandboxDraft(started.draftId);
		expect(draft.status).toBe(200);
		expect(draft.data.labels).toEqual(['pending-approval']);
		expect(draft.data.send_at ?? null).toBeNull();
		// The link now shows n8n's "no action required" page; a late Approve decides nothing.
		const late = await httpRequest(started.link, {
			method: 'POST',
			body: new URLSearchParams({ decision: 'approve' }),
			headers: { 'content-type': FORM },
		});
		expect(late.text).toContain('No action required');
		expect(await outboxFor(started.draftId)).toEqual([]);
		expect((await api.getExecution(started.executionId, { includeData: false })).stoppedAt).toBe(execution.stoppedAt);
	}, 240_000);

	it('approvals POSTed 3 s, 1 s, 500 ms, 100 ms before the limit and at it: each either counts (sent, Approved, "Decision recorded") or is refused as expired (nothing sent, Rejected)', async () => {
		const outcomes: Array<Record<string, unknown>> = [];
		for (const item of deadlineCases) {
			const started = item.started!;
			const posted = await item.posted!;
			const execution = await api.waitForExecution(started.executionId, 'success', {
				timeoutMs: Math.max(5_000, item.limit! + GRACE_MS + 90_000 - Date.now()),
				intervalMs: 1000,
			});
			const { approved, rejected } = approvalOutputs(execution);
			const sent = (await allSandboxOutbox()).filter((m) => m.draft_id === started.draftId);
			const counted = posted.status === 200 && posted.text.includes('Decision recorded');
			outcomes.push({
				offsetMs: item.offsetMs,
				postedMsBeforeLimit: item.limit! - posted.postedAt,
				page: posted.status,
				branch: approved.length ? 'Approved' : 'Rejected',
				sent: sent.length,
			});
			if (counted) {
				expect(approved).toHaveLength(1);
				expect(approved[0]).toMatchObject({ send_status: 'sent', decision: { status: 'approved', via: 'form' } });
				expect(sent).toHaveLength(1);
			} else {
				expect(posted.status).toBe(410);
				expect(posted.text).toContain('Approval expired');
				expect(rejected).toHaveLength(1);
				expect(rejected[0]).toMatchObject({ decision: { status: 'expired', via: 'timeout' } });
				expect(sent).toEqual([]);
			}
			expect(approved.length + rejected.length).toBe(1);
		}
		// Which ones count depends on how long n8n takes to reach the node (no timed assertion here); the invariant holds for all.
		observations.deadlineCases = outcomes;
	}, 240_000);
});
