import type { IDataObject } from 'n8n-workflow';

import {
	agentMailRequest,
	apiPath,
	failureOf,
	idempotencyKeyFor,
	toNodeError,
	validId,
	type AgentMailContext,
	type ValidId,
} from '../../shared/transport';
import { diffEdits, type EntrySubmission } from './form';
import {
	APPROVED_LABEL,
	PENDING_LABEL,
	REJECTED_LABEL,
	type ApprovalSettings,
	type Decision,
	type DecidedItem,
	type EditableField,
	type ReviewEntry,
} from './types';

export interface DecisionContext {
	ctx: AgentMailContext;
	via: Decision['via'];
	settings: ApprovalSettings;
	reviewer: string;
	reason: string;
	at: string;
	/** The decision lease: no request of this decision starts or is awaited after it (epoch ms). */
	deadline?: number;
}

/** The path of a draft under review (ids validated again: they come from saved state). */
export function draftPath(
	ctx: AgentMailContext,
	entry: ReviewEntry,
	...tail: ['send'] | ['attachments', ValidId] | []
): string {
	const node = ctx.getNode();
	return apiPath(
		'inboxes',
		validId(node, 'Inbox', entry.inboxId),
		'drafts',
		validId(node, 'Draft', entry.draftId),
		...tail,
	);
}

/** The editable values as the reviewer saw them: send_at is the draft's own (suspended) schedule. */
export function editableValues(draft: IDataObject, entry: ReviewEntry): Record<EditableField, unknown> {
	return {
		subject: draft.subject ?? null,
		to: draft.to ?? [],
		cc: draft.cc ?? [],
		bcc: draft.bcc ?? [],
		text: draft.text ?? null,
		html: draft.html ?? null,
		send_at: entry.originalSendAt,
	};
}

function output(
	entry: ReviewEntry,
	decision: Decision,
	result: IDataObject,
	extra: IDataObject = {},
): IDataObject {
	return {
		draft_id: entry.draftId,
		inbox_id: entry.inboxId,
		message_id: null,
		thread_id: null,
		send_status: '',
		...extra,
		decision: decision as unknown as IDataObject,
		result,
	};
}

function decision(dc: DecisionContext, status: Decision['status'], extra: Partial<Decision> = {}): Decision {
	return {
		status,
		by: dc.reviewer || null,
		via: dc.via,
		at: dc.at,
		reason: dc.reason || null,
		edited: false,
		changes: {},
		...extra,
	};
}

/**
 * The item a draft ends up as when nobody decided in time: on Rejected, or on
 * Approved when "On Timeout" approves (AgentMail sends it at the time limit).
 */
export function expiredItem(settings: ApprovalSettings, entry: ReviewEntry, held: IDataObject): DecidedItem {
	const approve = settings.onTimeout === 'approve';
	return {
		output: approve ? 'approved' : 'rejected',
		json: output(
			entry,
			{
				status: 'expired',
				by: null,
				via: 'timeout',
				at: settings.expiresAt,
				reason: `No decision before ${settings.expiresAt}`,
				edited: false,
				changes: {},
			},
			held,
			{ send_status: approve ? 'scheduled' : '' },
		),
	};
}

/**
 * A decision that won but that AgentMail failed to carry out: the draft was
 * not sent by it, so the item leaves on Rejected with decision.status
 * "failed" and AgentMail's error. (A lease that ran out gives expiredItem().)
 */
export function failedDecision(dc: DecisionContext, entry: ReviewEntry, draft: IDataObject, error: string): DecidedItem {
	return {
		output: 'rejected',
		json: output(entry, decision(dc, 'failed', { reason: error }), draft, { error }),
	};
}

/**
 * Rejects one draft: cancels any schedule (so nothing goes out), then labels
 * it `rejected` or deletes it, as configured.
 */
export async function rejectDraft(
	dc: DecisionContext,
	entry: ReviewEntry,
	draft: IDataObject,
	extra: Partial<Decision> = {},
): Promise<DecidedItem> {
	const { ctx } = dc;
	let result = draft;
	if (dc.settings.onRejection === 'delete') {
		// A schedule is cancelled first: AgentMail refuses (409) to change a
		// draft that is already being sent, so a rejection racing the
		// scheduled send at the time limit can never report "not sent" wrongly.
		if (dc.settings.onTimeout === 'approve') {
			await agentMailRequest(ctx, { method: 'PATCH', path: draftPath(ctx, entry), body: { send_at: null }, deadline: dc.deadline });
		}
		await agentMailRequest(ctx, { method: 'DELETE', path: draftPath(ctx, entry), deadline: dc.deadline });
	} else {
		result = await agentMailRequest<IDataObject>(ctx, {
			method: 'PATCH',
			path: draftPath(ctx, entry),
			body: { send_at: null, remove_labels: [PENDING_LABEL, APPROVED_LABEL], add_labels: [REJECTED_LABEL] },
			deadline: dc.deadline,
		});
	}
	return { output: 'rejected', json: output(entry, decision(dc, 'rejected', extra), result) };
}

/**
 * Approves one draft: writes the reviewer's edits (only fields that changed)
 * and the labels, then sends it now or keeps it scheduled, as configured; an
 * unedited draft sent now is not written first (its send moves the labels). A send refused by an
 * allow/block list (403 message_rejected) ends as a rejection with AgentMail's
 * reason instead of failing the workflow.
 */
export async function approveDraft(
	dc: DecisionContext,
	entry: ReviewEntry,
	draft: IDataObject,
	submission: EntrySubmission,
	/** Identifies this approval for the send's Idempotency-Key. */
	sendKey: string,
): Promise<DecidedItem> {
	const { ctx, settings } = dc;
	const changes = settings.allowEdits ? diffEdits(editableValues(draft, entry), submission.values) : {};
	const edited = Object.keys(changes).length > 0;
	const sendAt = 'send_at' in changes ? (changes.send_at.to as string | null) : entry.originalSendAt;
	const sendNow = settings.onApproval === 'send' && !('send_at' in changes && sendAt);

	const patch: IDataObject = { remove_labels: [PENDING_LABEL], add_labels: [APPROVED_LABEL] };
	for (const [field, change] of Object.entries(changes)) {
		if (field === 'send_at') continue;
		const value = change.to;
		patch[field] = (Array.isArray(value) && value.length === 0 ? null : value) as IDataObject[string];
	}
	if (!sendNow) patch.send_at = sendAt;
	const approvedDecision = decision(dc, 'approved', { edited, changes });
	// Sent now as it is: the send itself moves the labels (pending → approved),
	// so the draft is not written first. Edits and Keep are written first.
	const updated =
		sendNow && !edited
			? draft
			: await agentMailRequest<IDataObject>(ctx, {
					method: 'PATCH',
					path: draftPath(ctx, entry),
					body: patch,
					deadline: dc.deadline,
				});
	if (!sendNow) {
		return {
			output: 'approved',
			json: output(entry, approvedDecision, updated, { send_status: updated.send_status ?? '' }),
		};
	}

	let sent: IDataObject;
	try {
		sent = await agentMailRequest<IDataObject>(ctx, {
			method: 'POST',
			path: draftPath(ctx, entry, 'send'),
			body: { add_labels: [APPROVED_LABEL], remove_labels: [PENDING_LABEL] },
			idempotencyKey: idempotencyKeyFor('approval-send', sendKey, entry.draftId),
			deadline: dc.deadline,
		});
	} catch (error) {
		const failure = failureOf(error);
		if (failure.code !== 'message_rejected') throw toNodeError(ctx.getNode(), error);
		const reason = failure.fix ? `${failure.error} ${failure.fix}` : failure.error;
		return await rejectDraft({ ...dc, reason }, entry, updated, {
			edited,
			changes,
			reason,
			by: dc.reviewer || null,
		});
	}
	const message = await readSentMessage(ctx, entry, sent, dc.deadline);
	return {
		output: 'approved',
		json: output(entry, approvedDecision, message, {
			message_id: sent.message_id,
			thread_id: sent.thread_id,
			send_status: 'sent',
		}),
	};
}

/** The sent message as AgentMail stores it; the send response if it cannot be read. */
async function readSentMessage(
	ctx: AgentMailContext,
	entry: ReviewEntry,
	sent: IDataObject,
	deadline?: number,
): Promise<IDataObject> {
	try {
		const node = ctx.getNode();
		return await agentMailRequest<IDataObject>(ctx, {
			method: 'GET',
			path: apiPath(
				'inboxes',
				validId(node, 'Inbox', entry.inboxId),
				'messages',
				validId(node, 'Message', sent.message_id),
			),
			deadline,
		});
	} catch {
		return sent;
	}
}
