import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { agentMailRequest, apiPath, failureOf, toNodeError, validId } from '../../AgentMail/transport';
import { approveDraft, rejectDraft, type DecisionContext } from './decide';
import { parseReviewForm } from './form';
import { PAGE_SECURITY_HEADERS } from './html';
import { renderMessagePage, renderReviewPage, type DraftView } from './page';
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
			const draft = await agentMailRequest<IDataObject>(ctx, {
				method: 'GET',
				path: apiPath('inboxes', validId(node, 'Inbox', entry.inboxId), 'drafts', validId(node, 'Draft', entry.draftId)),
			});
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

/**
 * webhook(): the review page on the resume URL. GET (and anything but POST)
 * only shows the drafts as they are now and never changes anything, whoever
 * asks. POST decides once: it is refused if the approval expired, if a draft
 * was already decided, or if a draft changed after the page was rendered (the
 * reviewer then sees the new version).
 */
export async function handleReview(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = loadState(this);
	if (!state) {
		return respond(this, 410, renderMessagePage('Approval not available', 'This approval request no longer exists.'));
	}
	const { settings } = state;
	if (Date.now() >= Date.parse(settings.expiresAt)) {
		return respond(
			this,
			410,
			renderMessagePage('Approval expired', `This approval request expired at ${settings.expiresAt}. Nothing was changed.`),
		);
	}
	const pending = state.entries.filter((entry) => !entry.decided);
	const loaded = await loadDrafts(this, pending);
	if (alreadyDecided(loaded)) {
		return respond(
			this,
			409,
			renderMessagePage('Already decided', 'A decision on this email has already been made. Nothing was changed.'),
		);
	}
	const method = String(this.getRequestObject().method ?? 'GET').toUpperCase();
	if (method !== 'POST') {
		return respond(this, 200, renderReviewPage({ settings, drafts: loaded.views }));
	}

	const parsed = parseReviewForm(this.getBodyData(), pending, settings);
	if (!parsed.submission) {
		return respond(this, 400, renderReviewPage({ settings, drafts: loaded.views, errors: parsed.errors }));
	}
	const { submission } = parsed;
	const stale = loaded.views.filter((view, position) => submission.entries[position].version !== String(view.draft.updated_at ?? ''));
	if (stale.length) {
		return respond(
			this,
			409,
			renderReviewPage({
				settings,
				drafts: loaded.views,
				notice:
					'The email changed after this page was opened. Nothing was decided: review the current version below and decide again.',
			}),
		);
	}

	const dc: DecisionContext = {
		ctx: this,
		via: 'form',
		settings,
		reviewer: submission.reviewer,
		reason: submission.reason,
		at: new Date().toISOString(),
	};
	const sendKey = [this.getExecutionId() ?? '', this.getNode().id ?? this.getNode().name, settings.expiresAt].join(':');
	const decided = new Map<ReviewEntry, DecidedItem>();
	for (const [position, view] of loaded.views.entries()) {
		const entrySubmission = submission.entries[position];
		decided.set(
			view.entry,
			entrySubmission.verdict === 'approve'
				? await approveDraft(dc, view.entry, view.draft, entrySubmission, sendKey)
				: await rejectDraft(dc, view.entry, view.draft),
		);
	}
	const workflowData = outputs(state, decided);
	const summary = [...decided.values()].map((item) => {
		const decision = item.json.decision as IDataObject;
		const sent = item.json.send_status === 'sent' ? ' and sent' : '';
		return `${String(item.json.draft_id)}: ${String(decision.status)}${sent}${decision.reason ? ` (${String(decision.reason)})` : ''}`;
	});
	respond(this, 200, renderMessagePage('Decision recorded', 'Thank you. Your decision was recorded.', summary));
	return { noWebhookResponse: true, workflowData };
}
