/** Draft rules (AGENTMAIL_API.md §2.4-§2.6): create, update, send, delete. */
import { nowIso, nowMs } from '../clock';
import { conflict, invalidField, notFound } from '../errors';
import { newDraftId } from '../ids';
import type { DraftRecord, InboxRecord, MessageRecord } from '../model';
import type { CreateDraftInput, UpdateDraftInput } from '../schemas';
import type { Store } from '../store';
import { copyAttachments, storeAttachments } from './attachments';
import { applyLabelChanges, assertUserLabels, labelList } from './labels';
import type { Outgoing, SendMeta, SendResult } from './sending';
import { sendOutgoing } from './sending';
import { forwardSubject, forwardedBody, replyRecipients, replySubject, threadingFrom } from './threading';

export function sourceMessage(store: Store, inboxId: string, messageId: string, field: string): MessageRecord {
	const source = store.getMessage(inboxId, messageId);
	if (!source) {
		throw notFound('Message', `${field} must be the message_id of a message in inbox ${inboxId}.`);
	}
	return source;
}

/** A `send_at` must lie in the future; returns it normalised to ISO. */
function futureSendAt(sendAt: string): string {
	const ms = Date.parse(sendAt);
	if (ms <= nowMs()) {
		throw invalidField(['send_at'], `send_at ${sendAt} is in the past`, 'Use a time in the future, or send the draft now.');
	}
	return new Date(ms).toISOString();
}

function schedule(draft: DraftRecord, sendAt: string): void {
	draft.send_at = futureSendAt(sendAt);
	draft.send_status = 'scheduled';
	draft.labels = applyLabelChanges(draft.labels, ['scheduled'], []);
}

function unschedule(draft: DraftRecord): void {
	delete draft.send_at;
	delete draft.send_status;
	draft.labels = applyLabelChanges(draft.labels, [], ['scheduled']);
}

/** Sets an optional field, deleting it for undefined/null/empty lists. */
function setField<K extends keyof DraftRecord>(draft: DraftRecord, key: K, value: DraftRecord[K] | null | undefined): void {
	if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) delete draft[key];
	else draft[key] = value;
}

export function createDraft(store: Store, inbox: InboxRecord, input: CreateDraftInput): DraftRecord {
	if (input.client_id !== undefined) {
		const existing = [...store.drafts.values()].find(
			(draft) => draft.inbox_id === inbox.inbox_id && draft.client_id === input.client_id,
		);
		if (existing) return existing;
	}
	const labels = input.labels ?? [];
	assertUserLabels(labels, 'labels');
	const now = nowIso();
	const draft: DraftRecord = {
		draft_id: newDraftId(),
		inbox_id: inbox.inbox_id,
		labels: [...new Set(labels)],
		attachments: storeAttachments(input.attachments),
		created_at: now,
		updated_at: now,
	};
	setField(draft, 'client_id', input.client_id);
	setField(draft, 'reply_to', input.reply_to);
	setField(draft, 'to', input.to);
	setField(draft, 'cc', input.cc);
	setField(draft, 'bcc', input.bcc);
	setField(draft, 'subject', input.subject);
	setField(draft, 'text', input.text);
	setField(draft, 'html', input.html);
	if (input.in_reply_to !== undefined) {
		const source = sourceMessage(store, inbox.inbox_id, input.in_reply_to, 'in_reply_to');
		const derived = replyRecipients(source, inbox, input.reply_all ?? false);
		if (input.to === undefined) setField(draft, 'to', derived.to);
		if (input.cc === undefined) setField(draft, 'cc', derived.cc);
		if (input.subject === undefined) draft.subject = replySubject(source.subject);
		Object.assign(draft, threadingFrom(source));
	}
	if (input.forward_of !== undefined) {
		const source = sourceMessage(store, inbox.inbox_id, input.forward_of, 'forward_of');
		const { thread_id, references } = threadingFrom(source);
		Object.assign(draft, { forward_of: source.message_id, thread_id, references });
		if (input.subject === undefined) draft.subject = forwardSubject(source.subject);
	}
	if (input.send_at !== undefined) schedule(draft, input.send_at);
	store.putDraft(draft);
	return draft;
}

export function findDraft(store: Store, draftId: string, inboxId?: string): DraftRecord {
	const draft = store.drafts.get(draftId);
	if (!draft || (inboxId !== undefined && draft.inbox_id !== inboxId.toLowerCase())) throw notFound('Draft');
	return draft;
}

function assertNotSending(draft: DraftRecord, action: string): void {
	if (draft.send_status === 'sending') {
		throw conflict(
			`Draft ${draft.draft_id} is being sent and cannot be ${action}`,
			'Wait for the send to finish; the draft is deleted once it is sent.',
		);
	}
}

export function updateDraft(store: Store, draft: DraftRecord, input: UpdateDraftInput): DraftRecord {
	assertNotSending(draft, 'edited');
	const add = labelList(input.add_labels);
	const remove = labelList(input.remove_labels);
	assertUserLabels(add, 'add_labels');
	assertUserLabels(remove, 'remove_labels');
	const next: DraftRecord = structuredClone(draft);
	for (const key of ['reply_to', 'to', 'cc', 'bcc', 'subject', 'text', 'html'] as const) {
		if (input[key] !== undefined) setField(next, key, input[key]);
	}
	if (input.remove_attachments) {
		const removed = new Set(input.remove_attachments);
		next.attachments = next.attachments.filter((attachment) => !removed.has(attachment.attachment_id));
	}
	next.attachments.push(...storeAttachments(input.add_attachments));
	next.labels = applyLabelChanges(next.labels, add, remove);
	if (input.send_at === null) unschedule(next);
	else if (input.send_at !== undefined) schedule(next, input.send_at);
	next.updated_at = nowIso();
	store.putDraft(next);
	return next;
}

export function deleteDraft(store: Store, draft: DraftRecord): void {
	assertNotSending(draft, 'deleted');
	store.deleteDraft(draft.draft_id);
}

/** The message a draft becomes; a forward merges the source's body and attachments now. */
function composeDraft(store: Store, draft: DraftRecord, inbox: InboxRecord, labels: string[]): Outgoing {
	const out: Outgoing = {
		inbox,
		to: draft.to ?? [],
		cc: draft.cc ?? [],
		bcc: draft.bcc ?? [],
		reply_to: draft.reply_to,
		subject: draft.subject,
		text: draft.text,
		html: draft.html,
		attachments: draft.attachments,
		labels,
		in_reply_to: draft.in_reply_to,
		references: draft.references,
		thread_id: draft.thread_id,
	};
	const source = draft.forward_of ? store.getMessage(inbox.inbox_id, draft.forward_of) : undefined;
	if (source) {
		Object.assign(out, forwardedBody(source, draft.text, draft.html));
		out.attachments = [...draft.attachments, ...copyAttachments(source.attachments)];
	}
	return out;
}

export interface DraftSendOptions {
	addLabels: string[];
	removeLabels: string[];
	meta: SendMeta;
	/** Runs while the draft is `sending` (injected latency). */
	whileSending?: () => Promise<void>;
}

/**
 * Marks the draft `sending`, sends it and deletes it. If the send fails the
 * draft stays: with its previous status, or `failed` for a scheduled send.
 */
export async function sendDraft(store: Store, draft: DraftRecord, options: DraftSendOptions): Promise<SendResult> {
	assertNotSending(draft, 'sent again');
	assertUserLabels(options.addLabels, 'add_labels');
	assertUserLabels(options.removeLabels, 'remove_labels');
	const inbox = store.getInbox(draft.inbox_id);
	if (!inbox) throw notFound('Inbox');
	const previous = draft.send_status;
	draft.send_status = 'sending';
	store.changed();
	try {
		await options.whileSending?.();
		const labels = applyLabelChanges(
			draft.labels.filter((label) => label !== 'scheduled'),
			options.addLabels,
			options.removeLabels,
		);
		const result = sendOutgoing(store, composeDraft(store, draft, inbox, labels), {
			...options.meta,
			draftId: draft.draft_id,
		});
		store.deleteDraft(draft.draft_id);
		return result;
	} catch (error) {
		if (store.drafts.get(draft.draft_id) === draft) {
			if (options.meta.via === 'scheduled') {
				draft.send_status = 'failed';
				draft.labels = applyLabelChanges(draft.labels, [], ['scheduled']);
			} else if (previous) draft.send_status = previous;
			else delete draft.send_status;
			store.changed();
		}
		throw error;
	}
}
