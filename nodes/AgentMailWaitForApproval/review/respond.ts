import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { agentMailRequest, failureOf, toNodeError } from '../../AgentMail/transport';
import { approveDraft, draftPath, rejectDraft, type DecisionContext } from './decide';
import { parseReviewForm } from './form';
import { PAGE_SECURITY_HEADERS } from './html';
import { renderMessagePage, renderReviewPage, type DraftView } from './page';
import { oneAtATime } from './lock';
import { loadState } from './state';
import {
	APPROVED_LABEL,
	REJECTED_LABEL,
	type ApprovalState,
	type DecidedItem,
	type ReviewEntry,
} from './types';

function respond(ctx: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status);
	for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
	res.send(html);
	return { noWebhookResponse: true };
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
function failurePage(ctx: IWebhookFunctions, error: unknown): IWebhookResponseData {
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

function alreadyDecidedPage(ctx: IWebhookFunctions): IWebhookResponseData {
	return respond(
		ctx,
		409,
		renderMessagePage('Already decided', 'A decision on this email has already been made. Nothing was changed.'),
	);
}

/** The form body as n8n parsed it; anything else (no body, JSON arrays, text) counts as an empty form. */
function formBody(ctx: IWebhookFunctions): IDataObject {
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
		if (method !== 'POST') return await showReview(this, state);
		return await oneAtATime(this.getExecutionId() ?? '', async () => await decideReview(this, state));
	} catch (error) {
		return failurePage(this, error);
	}
}

/** Answers for an expired or already-decided request, or the drafts under review. */
async function openReview(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData | Loaded> {
	const { settings } = state;
	if (Date.now() >= Date.parse(settings.expiresAt)) {
		return respond(
			ctx,
			410,
			renderMessagePage('Approval expired', `This approval request expired at ${settings.expiresAt}. Nothing was changed.`),
		);
	}
	const loaded = await loadDrafts(ctx, state.entries.filter((entry) => !entry.decided));
	return alreadyDecided(loaded) ? alreadyDecidedPage(ctx) : loaded;
}

function isLoaded(value: IWebhookResponseData | Loaded): value is Loaded {
	return 'views' in value;
}

async function showReview(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData> {
	const opened = await openReview(ctx, state);
	if (!isLoaded(opened)) return opened;
	return respond(ctx, 200, renderReviewPage({ settings: state.settings, drafts: opened.views }));
}

async function decideReview(ctx: IWebhookFunctions, state: ApprovalState): Promise<IWebhookResponseData> {
	const { settings } = state;
	const opened = await openReview(ctx, state);
	if (!isLoaded(opened)) return opened;
	const loaded = opened;
	const pending = loaded.views.map((view) => view.entry);
	const body = formBody(ctx);
	const parsed = parseReviewForm(body, pending, settings);
	if (!parsed.submission) {
		return respond(
			ctx,
			400,
			renderReviewPage({ settings, drafts: loaded.views, errors: parsed.errors, submitted: body }),
		);
	}
	const { submission } = parsed;
	const stale = loaded.views.filter(
		(view, position) => submission.entries[position].version !== String(view.draft.updated_at ?? ''),
	);
	if (stale.length) {
		return respond(
			ctx,
			409,
			renderReviewPage({
				settings,
				drafts: loaded.views,
				submitted: { reviewer: submission.reviewer, reason: submission.reason },
				notice:
					'The email changed after this page was opened. Nothing was decided: review the current version below and decide again.',
			}),
		);
	}

	const dc: DecisionContext = {
		ctx,
		via: 'form',
		settings,
		reviewer: submission.reviewer,
		reason: submission.reason,
		at: new Date().toISOString(),
	};
	const decided = new Map<ReviewEntry, DecidedItem>();
	for (const [position, view] of loaded.views.entries()) {
		const entrySubmission = submission.entries[position];
		try {
			decided.set(
				view.entry,
				entrySubmission.verdict === 'approve'
					? await approveDraft(dc, view.entry, view.draft, entrySubmission, state.key)
					: await rejectDraft(dc, view.entry, view.draft),
			);
		} catch (error) {
			// Decided elsewhere meanwhile (gone, or being sent) before this one acted.
			const status = failureOf(error).status;
			if (decided.size === 0 && (status === 404 || status === 409)) return alreadyDecidedPage(ctx);
			throw toNodeError(ctx.getNode(), error);
		}
	}
	const workflowData = outputs(state, decided);
	const summary = [...decided.values()].map((item) => {
		const decision = item.json.decision as IDataObject;
		const sent = item.json.send_status === 'sent' ? ' and sent' : '';
		return `${String(item.json.draft_id)}: ${String(decision.status)}${sent}${decision.reason ? ` (${String(decision.reason)})` : ''}`;
	});
	respond(ctx, 200, renderMessagePage('Decision recorded', 'Thank you. Your decision was recorded.', summary));
	return { noWebhookResponse: true, workflowData };
}
