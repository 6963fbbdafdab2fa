import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { agentMailRequest, failureOf, toNodeError } from '../../shared/transport';
import { claimDecision, newToken, type DecisionRecord } from './claim';
import {
	approveDraft,
	draftPath,
	expiredItem,
	failedDecision,
	rejectDraft,
	type DecisionContext,
} from './decide';
import { addAttachmentLinks, requestedAttachment, serveAttachment } from './attachment';
import { addConversations } from './conversation';
import { parseReviewForm, type EntrySubmission } from './form';
import { renderMessagePage, renderReviewPage, type DraftView, type ReviewPageModel } from './page';
import { sendPage as respond } from './send';
import { oneAtATime } from './lock';
import { DECISION_LEASE_MS, heldSendAt } from './settings';
import { loadState } from './state';
import {
	APPROVED_LABEL,
	REJECTED_LABEL,
	type ApprovalState,
	type DecidedItem,
	type ReviewEntry,
} from './types';

/** The review form, with each reply draft's conversation and the drafts' attachment links. */
async function respondWithReview(ctx: IWebhookFunctions, status: number, model: ReviewPageModel): Promise<IWebhookResponseData> {
	await addConversations(ctx, model.drafts);
	addAttachmentLinks(ctx, model.drafts);
	return respond(ctx, status, renderReviewPage(model));
}

type Loaded = { views: DraftView[]; gone: ReviewEntry[] };

/** The drafts under review as they are in AgentMail now; a 404 means sent or deleted elsewhere. */
async function loadDrafts(ctx: IWebhookFunctions, entries: ReviewEntry[]): Promise<Loaded> {
	const node = ctx.getNode();
	const loaded: Loaded = { views: [], gone: [] };
	for (const entry of entries) {
		try {
			const draft = await agentMailRequest<IDataObject>(ctx, { method: 'GET', path: draftPath(ctx, entry) });
			loaded.views.push({ entry, draft });
		} catch (error) {
			if (failureOf(error).status !== 404) throw toNodeError(node, error);
			loaded.gone.push(entry);
		}
	}
	return loaded;
}

function alreadyDecided(loaded: Loaded): boolean {
	return (
		loaded.gone.length > 0 ||
		loaded.views.some(({ draft }) => {
			const labels = Array.isArray(draft.labels) ? (draft.labels as string[]) : [];
			return labels.includes(APPROVED_LABEL) || labels.includes(REJECTED_LABEL);
		})
	);
}

function outputs(state: ApprovalState, decided: Map<ReviewEntry, DecidedItem>): INodeExecutionData[][] {
	const approved: INodeExecutionData[] = [];
	const rejected: INodeExecutionData[] = [];
	for (const entry of state.entries) {
		const item = entry.decided ?? decided.get(entry);
		if (!item) continue;
		(item.output === 'approved' ? approved : rejected).push({
			json: item.json,
			pairedItem: { item: entry.itemIndex },
		});
	}
	return [approved, rejected];
}

/** A refused or failed request changes nothing; the reviewer can try again. */
export function failurePage(ctx: IWebhookFunctions, error: unknown): IWebhookResponseData {
	const failure = failureOf(error);
	ctx.logger.warn(`AgentMail Wait for Approval: review request failed: ${failure.error}`);
	const busy = failure.status === 429 || (failure.status ?? 0) >= 500 || failure.status === undefined;
	return respond(
		ctx,
		busy ? 503 : 502,
		renderMessagePage(
			'Nothing was decided',
			'AgentMail could not be reached or refused the request. Nothing was decided and the request is still open: try again in a moment.',
			[failure.error],
		),
	);
}

export function describeRecord(record: DecisionRecord | undefined): string[] {
	if (!record?.verdicts?.length) return [];
	const what = record.verdicts.map((verdict) => (verdict === 'approve' ? 'approved' : 'rejected')).join(', ');
	const by = record.reviewer ? ` by ${record.reviewer}` : '';
	const reason = record.reason ? ` (${record.reason})` : '';
	return [`Decided: ${what}${by} at ${record.at}${reason}`];
}

function alreadyDecidedPage(ctx: IWebhookFunctions, record?: DecisionRecord): IWebhookResponseData {
	return respond(
		ctx,
		409,
		renderMessagePage(
			'Already decided',
			'A decision on this email had already been made, so your submission changed nothing.',
			describeRecord(record),
		),
	);
}

/** The form body as n8n parsed it; anything else (no body, JSON arrays, text) counts as an empty form. */
export function formBody(ctx: IWebhookFunctions): IDataObject {
	const body = ctx.getBodyData() as unknown;
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
}

/**
 * webhook(): the review page on the resume URL. GET (and anything but POST)
 * only shows the drafts as they are now and never changes anything, whoever
 * asks. POST decides once: it is refused if the approval expired, if a draft
 * was already decided, or if a draft changed after the page was rendered (the
 * reviewer then sees the new version). Nothing here throws: n8n would mark the
 * waiting execution as failed, so every failure becomes a page and the
 * approval stays open.
 */
export async function handleReview(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		const state = loadState(this);
		if (!state) {
			return respond(this, 410, renderMessagePage('Approval not available', 'This approval request no longer exists.'));
		}
		const method = String(this.getRequestObject().method ?? 'GET').toUpperCase();
		if (method !== 'POST') {
			const attachment = requestedAttachment(this);
			return attachment ? await serveAttachment(this, state, attachment) : await showReview(this, state);
		}
		return await oneAtATime(this.getExecutionId() ?? '', async () => await decideReview(this, state));
	} catch (error) {
		return failurePage(this, error);
	}
}

/** Answers for an expired or already-decided request, or the drafts under review. */
async function openReview(
	ctx: IWebhookFunctions,
	state: ApprovalState,
	decidedPage: () => Promise<IWebhookResponseData> = async () => alreadyDecidedPage(ctx),
): Promise<IWebhookResponseData | Loaded> {
	const { settings } = state;
	if (Date.now() >= Date.parse(settings.expiresAt)) {
		return respond(
			ctx,
			410,
			renderMessagePage('Approval expired', `This approval request expired at ${settings.expiresAt}. Nothing was changed.`),
		);
	}
	const loaded = await loadDrafts(ctx, state.entries.filter((entry) => !entry.decided));
	if (loaded.gone.length && loaded.gone.every((entry) => scheduledSendMayHaveCome(settings, entry))) {
		// Gone at the time limit with On Timeout = Approve: AgentMail's schedule sent it.
		return respond(
			ctx,
			409,
			renderMessagePage(
				'Already sent at the time limit',
				'AgentMail sent the email at the time limit, as configured for a request nobody decided in time. Nothing was changed.',
			),
		);
	}
	return alreadyDecided(loaded) ? await decidedPage() : loaded;
}

/**
 * For a POST on a decided approval: what was decided, read from the decision
 * record (a create with the record's client_id returns it). Where there is
 * none (decided outside n8n), this leaves an empty record, which only keeps
 * later submissions from acting on drafts that are already gone.
 */
async function decidedWithRecord(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData> {
	const probe: DecisionRecord = {
		version: 1,
		token: newToken(),
		verdicts: [],
		reviewer: null,
		reason: null,
		at: new Date().toISOString(),
	};
	try {
		const { record } = await claimDecision(ctx, state, probe);
		return alreadyDecidedPage(ctx, record);
	} catch {
		return alreadyDecidedPage(ctx);
	}
}

function isLoaded(value: IWebhookResponseData | Loaded): value is Loaded {
	return 'views' in value;
}

async function showReview(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData> {
	const opened = await openReview(ctx, state);
	if (!isLoaded(opened)) return opened;
	return await respondWithReview(ctx, 200, { settings: state.settings, drafts: opened.views });
}

/**
 * POST: validates the form, then claims the decision in AgentMail (claim.ts).
 * Only the submission that wins the claim acts and resumes the execution;
 * every other one is told what was decided and returns no workflow data.
 */
async function decideReview(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData> {
	const { settings } = state;
	const opened = await openReview(ctx, state, async () => await decidedWithRecord(ctx, state));
	if (!isLoaded(opened)) return opened;
	const loaded = opened;
	const pending = loaded.views.map((view) => view.entry);
	const body = formBody(ctx);
	const parsed = parseReviewForm(body, pending, settings);
	if (!parsed.submission) {
		return await respondWithReview(ctx, 400, { settings, drafts: loaded.views, errors: parsed.errors, submitted: body });
	}
	const { submission } = parsed;
	const stale = loaded.views.filter(
		(view, position) => submission.entries[position].version !== String(view.draft.updated_at ?? ''),
	);
	if (stale.length) {
		return await respondWithReview(ctx, 409, {
			settings,
			drafts: loaded.views,
			submitted: { reviewer: submission.reviewer, reason: submission.reason },
			notice:
				'The email changed after this page was opened. Nothing was decided: review the current version below and decide again.',
		});
	}

	const at = new Date().toISOString();
	const deadline = Date.parse(settings.expiresAt) + DECISION_LEASE_MS;
	const record: DecisionRecord = {
		version: 1,
		token: newToken(),
		verdicts: submission.entries.map((entry) => entry.verdict),
		reviewer: submission.reviewer || null,
		reason: submission.reason || null,
		at,
	};
	const claim = await claimDecision(ctx, state, record, deadline);
	if (!claim.won) return alreadyDecidedPage(ctx, claim.record);

	const dc: DecisionContext = {
		ctx,
		via: 'form',
		settings,
		reviewer: submission.reviewer,
		reason: submission.reason,
		at,
		deadline,
	};
	const decided = new Map<ReviewEntry, DecidedItem>();
	for (const [position, view] of loaded.views.entries()) {
		decided.set(view.entry, await carryOut(dc, view, submission.entries[position], state.key));
	}
	const workflowData = outputs(state, decided);
	respond(ctx, ...resultPage([...decided.values()], settings));
	return { noWebhookResponse: true, workflowData };
}

function statusOf(item: DecidedItem): unknown {
	return (item.json.decision as IDataObject).status;
}

/**
 * What the reviewer is told after their submission won the claim. If the time
 * limit overtook every email (AgentMail's scheduled send at the limit, or the
 * lease ran out), the submission changed nothing, and the page says so
 * instead of "Decision recorded".
 */
function resultPage(items: DecidedItem[], settings: ApprovalState['settings']): [number, string] {
	const summary = items.map(describeItem);
	if (items.every((item) => statusOf(item) === 'expired')) {
		return settings.onTimeout === 'approve'
			? [409, renderMessagePage('Already sent at the time limit', 'AgentMail had already sent the email at the time limit, before your decision reached it. Your decision changed nothing.', summary)]
			: [410, renderMessagePage('Approval expired', 'The time limit passed before your decision could be carried out. Your decision changed nothing and nothing was sent.', summary)];
	}
	const clean = items.every((item) => statusOf(item) === 'approved' || statusOf(item) === 'rejected');
	return [
		200,
		renderMessagePage(
			'Decision recorded',
			clean
				? 'Thank you. Your decision was recorded.'
				: 'Your decision was recorded, but it could not be carried out as submitted for every email: see below.',
			summary,
		),
	];
}

/** AgentMail may be sending the draft by its own schedule (On Timeout: Approve, at the limit). */
function scheduledSendMayHaveCome(settings: ApprovalState['settings'], entry: ReviewEntry): boolean {
	const heldUntil = heldSendAt(settings, entry.originalSendAt);
	return heldUntil !== null && Date.now() >= Date.parse(heldUntil) - 2_000;
}

/**
 * Carries out the winning decision for one draft. It always ends in an item
 * that tells the truth: approved (sent or kept), rejected, expired (AgentMail
 * sent it at the time limit first) or failed (nothing was sent by it).
 */
async function carryOut(
	dc: DecisionContext,
	view: DraftView,
	entrySubmission: EntrySubmission,
	key: string,
): Promise<DecidedItem> {
	const { entry, draft } = view;
	try {
		if (dc.deadline !== undefined && Date.now() >= dc.deadline) {
			return expiredItem(dc.settings, entry, draft);
		}
		return entrySubmission.verdict === 'approve'
			? await approveDraft(dc, entry, draft, entrySubmission, key)
			: await rejectDraft(dc, entry, draft);
	} catch (error) {
		const failure = failureOf(error);
		if ((failure.status === 404 || failure.status === 409) && scheduledSendMayHaveCome(dc.settings, entry)) {
			// AgentMail's schedule at the time limit won: the email went as it was then.
			return expiredItem(dc.settings, entry, draft);
		}
		if (dc.settings.onTimeout === 'approve' && entrySubmission.verdict === 'reject') {
			// The schedule could not be cancelled, so AgentMail still sends at the limit.
			const item = expiredItem(dc.settings, entry, draft);
			(item.json.decision as IDataObject).reason =
				`The rejection could not be applied (${failure.error}); AgentMail sends the email at ${dc.settings.expiresAt}`;
			return item;
		}
		dc.ctx.logger.warn(`AgentMail Wait for Approval: decision could not be carried out: ${failure.error}`);
		return failedDecision(dc, entry, draft, failure.error);
	}
}

function describeItem(item: DecidedItem): string {
	const decision = item.json.decision as IDataObject;
	const id = String(item.json.draft_id);
	const reason = decision.reason ? ` (${String(decision.reason)})` : '';
	switch (decision.status) {
		case 'expired':
			return item.output === 'approved'
				? `${id}: AgentMail had already sent it at the time limit, as it was then${reason}`
				: `${id}: the time limit passed before it could be decided; nothing was sent`;
		case 'failed':
			return `${id}: not carried out, nothing was sent${reason}`;
		default:
			return `${id}: ${String(decision.status)}${item.json.send_status === 'sent' ? ' and sent' : ''}${reason}`;
	}
}
