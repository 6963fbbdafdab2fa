/**
 * Approval trials in queue mode, black-box: a workflow
 *   Webhook -> Create Draft -> Wait for Approval (email to an approver) -> Approved | Rejected
 * is triggered through webhook process A (the worker runs it), the review
 * link is read from the notification email in the sandbox outbox, and
 * reviewers' POSTs go to webhook process A or B directly (the link's origin,
 * the main's N8N_WEBHOOK_URL, is rewritten). Afterwards the invariant is
 * checked from the sandbox (outbox, request log, the draft) and from the
 * execution's run data (public API, includeData=true), whatever the node does
 * inside.
 */
import { formFields } from '../../scripts/lib/review-form';
import {
	N8nApi,
	e2eState,
	httpRequest,
	nodeOutput,
	sandboxApi,
	sandboxOutbox,
	uniqueSuffix,
	type Execution,
	type OutboxMessage,
	type SandboxRequest,
	type Workflow,
} from '../helpers';
import { SandboxClient } from '../helpers/sandboxAdmin';
import { agentMailNode, approvalNode, byId, connect, layout, sandboxInbox, setNode, webhookNode } from '../helpers/workflows';
import { ArmedRequest, type RawResponse } from './armed';

export const WAIT = 'Wait for Approval';
export const APPROVER = 'ops@example.com';
const FORM = 'application/x-www-form-urlencoded';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Process = 'A' | 'B';

export interface QueueTarget {
	api: N8nApi;
	credential: { id: string; name: string };
	main: string;
	webhook: Record<Process, string>;
}

export function queueTarget(): QueueTarget {
	const state = e2eState();
	if (!state.queue) throw new Error('e2e-state.json has no `queue` part: run with jest -c jest.e2e-queue.config.js');
	return {
		api: N8nApi.fromE2eState(),
		credential: state.queue.credential,
		main: state.n8n.url,
		webhook: { A: state.queue.webhookA, B: state.queue.webhookB },
	};
}

/** The same URL on another n8n process (review links carry the main's N8N_WEBHOOK_URL). */
export function via(url: string, origin: string): string {
	const target = new URL(url);
	const base = new URL(origin);
	target.protocol = base.protocol;
	target.host = base.host;
	return target.toString();
}

export interface ApprovalParameters {
	limitAmount?: number;
	limitUnit?: 'minutes' | 'hours' | 'days';
	onTimeout?: 'reject' | 'approve';
	onApproval?: 'send' | 'keep';
	onRejection?: 'label' | 'delete';
}

export interface ApprovalWorkflow {
	workflow: Workflow;
	path: string;
	parameters: Required<ApprovalParameters>;
}

const DEFAULTS: Required<ApprovalParameters> = {
	limitAmount: 24,
	limitUnit: 'hours',
	onTimeout: 'reject',
	onApproval: 'send',
	onRejection: 'label',
};

/** Create and publish Webhook -> Create Draft -> Wait for Approval -> Approved | Rejected. */
export async function createApprovalWorkflow(
	target: QueueTarget,
	name: string,
	parameters: ApprovalParameters = {},
): Promise<ApprovalWorkflow> {
	const all = { ...DEFAULTS, ...parameters };
	const path = `queue-${uniqueSuffix()}`;
	const nodes = layout([
		webhookNode(path),
		agentMailNode('Create Draft', target.credential, {
			resource: 'draft',
			operation: 'create',
			inboxId: sandboxInbox(),
			to: '={{ $json.body.to }}',
			subject: '={{ $json.body.subject }}',
			text: '={{ $json.body.text }}',
			additionalFields: {},
		}),
		approvalNode(WAIT, target.credential, {
			draftId: byId('={{ $json.draft_id }}'),
			notification: 'email',
			approvers: "={{ $('Webhook').item.json.body.approver }}",
			notifyInbox: sandboxInbox(),
			requestedBy: 'queue e2e',
			...all,
		}),
		setNode('Approved', { status: '={{ $json.decision.status }}', by: '={{ $json.decision.by }}' }),
		setNode('Rejected', { status: '={{ $json.decision.status }}', by: '={{ $json.decision.by }}' }),
	]);
	const workflow = await target.api.createAndActivate({
		name: `${name} ${path}`,
		nodes,
		connections: connect([
			['Webhook', 0, 'Create Draft'],
			['Create Draft', 0, WAIT],
			[WAIT, 0, 'Approved'],
			[WAIT, 1, 'Rejected'],
		]),
	});
	return { workflow, path, parameters: all };
}

export interface Trial {
	index: number;
	subject: string;
	executionId: string;
	/** The signed review link as emailed (origin: the main). */
	link: string;
	draftId: string;
	/** The review form as webhook process A rendered it (hidden version fields included). */
	fields: Record<string, string>;
	/** The time limit in ms since the epoch, and where that value came from. */
	limitAt: number;
	limitFrom: string;
	waiting: Execution;
}

const REVIEW_LINK = /https?:\/\/[^\s"<>]+\/webhook-waiting\/(\d+)\/[\w-]+\?signature=[\w%.-]+/;

/**
 * The time limit: the node's own expiresAt when its saved state shows it
 * (exact), else the moment the node started plus the limit (a few ms early).
 */
function limitOf(waiting: Execution, limitMs: number): { at: number; from: string } {
	const context = (waiting.data?.executionData as { contextData?: Record<string, Record<string, unknown>> } | undefined)
		?.contextData?.[`node:${WAIT}`];
	for (const value of Object.values(context ?? {})) {
		try {
			const expiresAt = (JSON.parse(String(value)) as { settings?: { expiresAt?: string } }).settings?.expiresAt;
			if (expiresAt && Number.isFinite(Date.parse(expiresAt))) return { at: Date.parse(expiresAt), from: 'node state' };
		} catch {
			// not JSON: not the approval state
		}
	}
	const run = waiting.data?.resultData.runData[WAIT]?.[0];
	if (!run) throw new Error(`execution ${waiting.id}: ${WAIT} did not run`);
	return { at: run.startTime + limitMs, from: 'node start + limit' };
}

function limitMilliseconds(parameters: Required<ApprovalParameters>): number {
	const unit = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[parameters.limitUnit];
	return parameters.limitAmount * unit;
}

/** Run `work` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const index = next++;
				results[index] = await work(items[index]);
			}
		}),
	);
	return results;
}

/**
 * Start `count` approvals of `wf` through webhook process A and wait until
 * each is parked with its notification sent; opens each review page once
 * (GET through A) to read the form.
 */
export async function startTrials(
	target: QueueTarget,
	wf: ApprovalWorkflow,
	label: string,
	count: number,
	options: { concurrency?: number; timeoutMs?: number } = {},
): Promise<Trial[]> {
	const tag = uniqueSuffix();
	const subjects = Array.from({ length: count }, (_, index) => `${label} #${index + 1} ${tag}`);
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	const webhook = `${target.webhook.A}/webhook/${wf.path}`;
	await pool(subjects, options.concurrency ?? 4, async (subject) => {
		for (;;) {
			const response = await httpRequest(webhook, {
				method: 'POST',
				body: { to: 'customer@example.com', subject, text: `Trial ${subject}.`, approver: APPROVER },
			});
			if (response.status === 200) return;
			// Activation reaches the webhook processes asynchronously.
			if (response.status !== 404 || Date.now() > deadline) {
				throw new Error(`webhook A answered HTTP ${response.status}: ${response.text.slice(0, 300)}`);
			}
			await sleep(250);
		}
	});

	const links = new Map<string, string>();
	while (links.size < count) {
		for (const message of await sandboxOutbox()) {
			const subject = message.subject?.replace(/^Approval needed: /, '');
			if (!subject || !subjects.includes(subject) || links.has(subject)) continue;
			const link = REVIEW_LINK.exec(String(message.text ?? ''))?.[0];
			if (link) links.set(subject, link);
		}
		if (links.size < count) {
			if (Date.now() > deadline) throw new Error(`only ${links.size} of ${count} notifications for "${label}" arrived`);
			await sleep(500);
		}
	}

	const limitMs = limitMilliseconds(wf.parameters);
	return await pool(subjects, options.concurrency ?? 4, async (subject, ) => {
		const link = links.get(subject)!;
		const executionId = REVIEW_LINK.exec(link)![1];
		const waiting = await target.api.waitForExecution(executionId, 'waiting', {
			timeoutMs: Math.max(5_000, deadline - Date.now()),
		});
		const [created] = nodeOutput(waiting, 'Create Draft');
		const page = await httpRequest(via(link, target.webhook.A));
		const fields = formFields(page.text);
		if (page.status !== 200 || !fields.version_0) {
			throw new Error(`review page of execution ${executionId} via A: HTTP ${page.status} ${page.text.slice(0, 300)}`);
		}
		const limit = limitOf(waiting, limitMs);
		return {
			index: subjects.indexOf(subject),
			subject,
			executionId,
			link,
			draftId: String(created.draft_id),
			fields,
			limitAt: limit.at,
			limitFrom: limit.from,
			waiting,
		};
	});
}

export interface Submission {
	process: Process;
	verdict: 'approve' | 'reject';
	reviewer: string;
}

/** A reviewer's POST of the review form, connected to its webhook process and ready to go. */
export async function armSubmission(target: QueueTarget, trial: Trial, submission: Submission): Promise<ArmedRequest> {
	const body = new URLSearchParams({
		...trial.fields,
		reviewer: submission.reviewer,
		decision: submission.verdict,
		...(submission.verdict === 'reject' ? { reason: `Rejected by ${submission.reviewer}` } : {}),
	}).toString();
	return await ArmedRequest.arm(via(trial.link, target.webhook[submission.process]), {
		method: 'POST',
		body,
		headers: { 'content-type': FORM },
	});
}

export async function sleepUntil(at: number): Promise<void> {
	for (;;) {
		const left = at - Date.now();
		if (left <= 0) return;
		// setTimeout can be a few ms late: sleep short of the mark, then spin briefly.
		if (left > 20) await sleep(left - 15);
		else await new Promise((resolve) => setImmediate(resolve));
	}
}

// ------------------------------------------------------------------ outcome --

/**
 * What a reviewer was told. `n8n-busy` and `no-action` are n8n's own answers,
 * given without calling the node: a 409 JSON while the execution runs (it was
 * just resumed by another submission or by the wait tracker), and the "No
 * action required" page once it finished. Neither claims the submission
 * counted, so both are truthful answers for a submission that did not.
 */
export type PageKind = 'recorded' | 'already-decided' | 'expired' | 'already-sent' | 'no-action' | 'n8n-busy' | 'other';

export interface PageAnswer {
	status: number;
	kind: PageKind;
	title: string;
}

/** What a review page told the reviewer, by its heading. */
export function classifyPage(response: RawResponse): PageAnswer {
	const h1 = (/<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(response.body)?.[1] ?? '').replace(/<[^>]+>/g, '').trim();
	const title = h1 || (/<title>([^<]*)/i.exec(response.body)?.[1] ?? '').trim() || response.body.slice(0, 80);
	let kind: PageKind = 'other';
	if (/^decision recorded$/i.test(h1)) kind = 'recorded';
	else if (/already decided/i.test(h1)) kind = 'already-decided';
	else if (/already (been )?sent|already went|was sent/i.test(`${h1} ${response.body}`) && !/^decision recorded$/i.test(h1)) {
		kind = 'already-sent';
	} else if (/expired/i.test(h1)) kind = 'expired';
	else if (/no action required/i.test(h1)) kind = 'no-action';
	else if (response.status === 409 && /is running already|has finished already/.test(response.body)) kind = 'n8n-busy';
	return { status: response.status, kind, title };
}

/** Everything the sandbox logged, accumulated across its 2000-entry window by polling. */
export class RequestLog {
	private readonly seen = new Map<number, SandboxRequest>();
	private timer?: NodeJS.Timeout;
	private polling?: Promise<void>;

	async poll(): Promise<void> {
		const client = new SandboxClient(e2eState().sandbox!);
		this.polling = (async () => {
			for (const request of await client.requests()) this.seen.set(request.seq, request);
		})();
		await this.polling;
	}

	start(intervalMs = 5_000): void {
		this.timer = setInterval(() => void this.poll().catch(() => undefined), intervalMs);
	}

	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		await this.polling?.catch(() => undefined);
		await this.poll();
	}

	/** Successful (2xx) sends of this draft: POST .../drafts/<id>/send. */
	sendsOf(draftId: string): SandboxRequest[] {
		return [...this.seen.values()].filter(
			(r) =>
				r.method === 'POST' &&
				r.decoded_path.endsWith(`/drafts/${draftId}/send`) &&
				r.status !== null &&
				r.status >= 200 &&
				r.status < 300,
		);
	}
}

export interface Outcome {
	scenario: string;
	trial: Trial;
	submissions: Array<Submission & { page: PageAnswer; firedAt: number; doneAt: number }>;
	execution?: Execution;
	branch: string;
	decision?: Record<string, unknown>;
	/** Copies of the email in the outbox (the draft sent, or sent on schedule). */
	sent: OutboxMessage[];
	sendRequests: number;
	/** The email's drafts left in the sandbox: 200 with the first one's labels, or 404 when none. */
	draft: { status: number; labels: string[]; ids: string[] };
	violations: string[];
}

function outputsOf(execution: Execution): { approved: Array<Record<string, unknown>>; rejected: Array<Record<string, unknown>> } {
	const runs = execution.data?.resultData.runData[WAIT] ?? [];
	const runIndex = runs.length - 1;
	if (runIndex < 0) return { approved: [], rejected: [] };
	return {
		approved: nodeOutput(execution, WAIT, { runIndex, outputIndex: 0 }),
		rejected: nodeOutput(execution, WAIT, { runIndex, outputIndex: 1 }),
	};
}

/** Truthful answers for a submission that did not count. */
const LOSER_PAGES: PageKind[] = ['already-decided', 'expired', 'already-sent', 'no-action', 'n8n-busy'];

/**
 * Check one trial after the fact. The invariant: exactly one decision takes
 * effect; the email is sent (exactly one copy) iff the execution left on
 * Approved (with On Approval = Keep: the draft is kept and labelled approved
 * iff it left on Approved); nothing is sent twice; the page of the
 * submission that counted says "Decision recorded", every other page says
 * it did not count.
 */
export async function judge(
	target: QueueTarget,
	wf: ApprovalWorkflow,
	scenario: string,
	trial: Trial,
	submissions: Array<Submission & { response?: RawResponse; error?: string }>,
	log: RequestLog,
	outbox: OutboxMessage[],
	drafts: DraftsBySubject,
	options: { finishTimeoutMs?: number } = {},
): Promise<Outcome> {
	const violations: string[] = [];
	const judged: Outcome['submissions'] = submissions.map((s) => {
		if (!s.response) {
			violations.push(`${s.process} ${s.verdict}: no HTTP answer (${s.error ?? 'not sent'})`);
			return { ...s, page: { status: 0, kind: 'other' as const, title: s.error ?? '' }, firedAt: 0, doneAt: 0 };
		}
		return {
			process: s.process,
			verdict: s.verdict,
			reviewer: s.reviewer,
			page: classifyPage(s.response),
			firedAt: s.response.firedAt,
			doneAt: s.response.doneAt,
		};
	});

	let execution: Execution | undefined;
	try {
		execution = await target.api.waitForExecution(trial.executionId, ['success', 'error', 'crashed', 'canceled'], {
			timeoutMs: options.finishTimeoutMs ?? 30_000,
			intervalMs: 500,
		});
	} catch (error) {
		violations.push(`execution did not finish: ${(error as Error).message}`);
	}
	if (execution && execution.status !== 'success') {
		violations.push(`execution ended "${execution.status}": ${execution.data?.resultData.error?.message ?? ''}`);
	}

	const { approved, rejected } = execution ? outputsOf(execution) : { approved: [], rejected: [] };
	const ran = Object.keys(execution?.data?.resultData.runData ?? {});
	const branch =
		approved.length && rejected.length ? 'both' : approved.length ? 'Approved' : rejected.length ? 'Rejected' : 'none';
	const decision = (approved[0] ?? rejected[0])?.decision as Record<string, unknown> | undefined;
	if (execution) {
		if (approved.length + rejected.length !== 1) {
			violations.push(`${approved.length + rejected.length} decisions took effect (Approved ${approved.length}, Rejected ${rejected.length})`);
		}
		if (ran.includes('Approved') !== approved.length > 0 || ran.includes('Rejected') !== rejected.length > 0) {
			violations.push(`branches that ran (${ran.join(', ')}) do not match the node's outputs`);
		}
		const status = String(decision?.status ?? '');
		if (branch === 'Approved' && !(status === 'approved' || (status === 'expired' && wf.parameters.onTimeout === 'approve'))) {
			violations.push(`left on Approved with decision.status "${status}"`);
		}
		if (branch === 'Rejected' && !(status === 'rejected' || (status === 'expired' && wf.parameters.onTimeout === 'reject'))) {
			violations.push(`left on Rejected with decision.status "${status}"`);
		}
	}

	// The sandbox: what was sent, and what is left of the email as drafts.
	// Matched by the trial's unique subject, not by draft id: a node may
	// replace the held draft by a new record (another id) for what it keeps.
	const sent = outbox.filter((m) => m.subject === trial.subject);
	const kept = drafts.get(trial.subject) ?? [];
	const ids = new Set([trial.draftId, ...kept.map((d) => d.draft_id), String((approved[0] ?? rejected[0])?.draft_id ?? '')]);
	const sendRequests = [...ids].reduce((n, id) => n + (id ? log.sendsOf(id).length : 0), 0);
	const draft = { status: kept.length ? 200 : 404, labels: kept[0]?.labels ?? [], ids: kept.map((d) => d.draft_id) };
	if (kept.length > 1) violations.push(`${kept.length} drafts of this email remain (${draft.ids.join(', ')})`);
	if (sent.length > 1) violations.push(`sent ${sent.length} times`);
	const sends = wf.parameters.onApproval === 'send' || (wf.parameters.onTimeout === 'approve' && decision?.status === 'expired');
	const shouldSend = branch === 'Approved' && sends;
	if (execution && sent.length > 0 && !shouldSend) {
		violations.push(`the email was sent (${sent.map((m) => `${m.via}, labels ${(m.labels ?? []).join('/')}`).join('; ')}) but the execution left on ${branch}`);
	}
	if (execution && shouldSend && sent.length === 0) violations.push('left on Approved but the email was not sent');
	if (branch === 'Rejected' && sendRequests > 0) violations.push(`${sendRequests} successful send request(s) for a rejected draft`);
	for (const message of sent) {
		if ((message.labels ?? []).includes('rejected')) violations.push(`the sent message is labelled rejected (${(message.labels ?? []).join(', ')})`);
	}
	if (draft.status === 200) {
		if (branch === 'Rejected' && draft.labels.includes('approved')) violations.push(`rejected, but the kept draft is labelled ${draft.labels.join(', ')}`);
		if (branch === 'Approved' && draft.labels.includes('rejected')) violations.push(`approved, but the kept draft is labelled ${draft.labels.join(', ')}`);
	}
	if (wf.parameters.onApproval === 'keep' && branch === 'Approved' && !(draft.status === 200 && draft.labels.includes('approved'))) {
		violations.push(`On Approval = Keep and left on Approved, but the draft is ${draft.status === 200 ? `labelled ${draft.labels.join(', ')}` : `gone (HTTP ${draft.status})`}`);
	}
	if (decision?.status === 'rejected' && wf.parameters.onRejection === 'label' && !(draft.status === 200 && draft.labels.includes('rejected'))) {
		violations.push(`rejected, but the draft is ${draft.status === 200 ? `labelled ${draft.labels.join(', ')}` : `gone (HTTP ${draft.status})`}`);
	}

	// Each reviewer's page: the submission that counted is the one whose
	// reviewer name and verdict the decision carries.
	if (execution && decision) {
		const counted =
			decision.via === 'form'
				? judged.find(
						(s) => s.reviewer === decision.by && (s.verdict === 'approve' ? 'approved' : 'rejected') === decision.status,
					)
				: undefined;
		if (decision.via === 'form' && !counted) {
			violations.push(`decision ${String(decision.status)} by "${String(decision.by)}" matches no submission`);
		}
		for (const s of judged) {
			const who = `${s.reviewer} (${s.verdict} on ${s.process})`;
			if (s === counted) {
				if (s.page.kind !== 'recorded') violations.push(`${who} counted, but its page said "${s.page.title}" (HTTP ${s.page.status})`);
			} else if (s.page.kind === 'recorded') {
				violations.push(`${who} did not count, but its page said "Decision recorded"`);
			} else if (!LOSER_PAGES.includes(s.page.kind)) {
				violations.push(`${who} did not count, and its page said "${s.page.title}" (HTTP ${s.page.status})`);
			}
		}
	}

	return {
		scenario,
		trial,
		submissions: judged,
		execution,
		branch,
		decision,
		sent,
		sendRequests,
		draft,
		violations,
	};
}

export type DraftsBySubject = Map<string, Array<{ draft_id: string; labels: string[] }>>;

/** Every draft of the sandbox inbox now (all pages), by subject. */
export async function sandboxDraftsBySubject(): Promise<DraftsBySubject> {
	const bySubject: DraftsBySubject = new Map();
	const inbox = encodeURIComponent(e2eState().sandbox!.inboxId);
	let pageToken: string | undefined;
	do {
		const query = `limit=100${pageToken ? `&page_token=${encodeURIComponent(pageToken)}` : ''}`;
		const { status, data } = await sandboxApi<{
			drafts: Array<{ draft_id: string; subject?: string; labels?: string[] }>;
			next_page_token?: string;
		}>('GET', `/inboxes/${inbox}/drafts?${query}`);
		if (status !== 200) throw new Error(`listing the sandbox drafts: HTTP ${status} ${JSON.stringify(data)}`);
		for (const d of data.drafts) {
			const list = bySubject.get(d.subject ?? '') ?? [];
			list.push({ draft_id: d.draft_id, labels: d.labels ?? [] });
			bySubject.set(d.subject ?? '', list);
		}
		pageToken = data.next_page_token ?? undefined;
	} while (pageToken);
	return bySubject;
}

/** The sandbox's /v0 view of a draft's schedule (send_at in ms, or null). */
export async function draftSendAt(draftId: string): Promise<number | null> {
	const { status, data } = await sandboxApi<{ send_at?: string | null }>(
		'GET',
		`/inboxes/${encodeURIComponent(e2eState().sandbox!.inboxId)}/drafts/${encodeURIComponent(draftId)}`,
	);
	if (status !== 200 || !data.send_at) return null;
	return Date.parse(data.send_at);
}
