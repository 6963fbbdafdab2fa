/**
 * The one send path used by message send, reply, reply-all, forward, draft
 * send and scheduled sends: recipient checks, list enforcement, the sent
 * message, the outbox record and local delivery.
 */
import { emailOf, formatAddress } from '../addresses';
import { nowIso } from '../clock';
import { invalidField, unprocessable } from '../errors';
import { newMessageId, newThreadId } from '../ids';
import type { AttachmentRecord, InboxRecord, MessageRecord, SendVia } from '../model';
import type { Store } from '../store';
import { attachmentsSize } from './attachments';
import { deliverLocally } from './delivery';
import { ApiError } from '../errors';
import { emitRejected, emitSent } from '../events/emit';
import { enforceSendLists } from './policy';

export const MAX_RECIPIENTS = 50;

export interface Outgoing {
	inbox: InboxRecord;
	to: string[];
	cc: string[];
	bcc: string[];
	reply_to?: string[];
	subject?: string;
	text?: string;
	html?: string;
	attachments: AttachmentRecord[];
	/** User labels; `sent` is added. */
	labels: string[];
	headers?: Record<string, string>;
	in_reply_to?: string;
	references?: string[];
	/** Thread to join (replies, forwards); a new one otherwise. */
	thread_id?: string;
}

export interface SendMeta {
	via: SendVia;
	idempotencyKey?: string;
	draftId?: string;
}

export interface SendResult {
	message_id: string;
	thread_id: string;
}

/** 422 without recipients, 400 above 50, 403 when a send list rejects one. */
export function checkOutgoing(store: Store, out: Outgoing): void {
	const all = [...out.to, ...out.cc, ...out.bcc];
	if (all.length === 0) {
		throw unprocessable('The message has no recipients', 'Set at least one of to, cc or bcc.');
	}
	if (all.length > MAX_RECIPIENTS) {
		throw invalidField(
			['to'],
			`At most ${MAX_RECIPIENTS} recipients across to, cc and bcc; got ${all.length}`,
			'Split the message into several sends.',
		);
	}
	const emails = [...new Set(all.map((address) => emailOf(address) ?? address))];
	enforceSendLists(store, out.inbox.inbox_id, emails);
}

export function sendOutgoing(store: Store, out: Outgoing, meta: SendMeta): SendResult {
	try {
		checkOutgoing(store, out);
	} catch (error) {
		if (error instanceof ApiError && error.status === 403) {
			emitRejected(store, out.inbox, { thread_id: out.thread_id ?? newThreadId(), message_id: newMessageId() }, error.message);
		}
		throw error;
	}
	const now = nowIso();
	const message: MessageRecord = {
		inbox_id: out.inbox.inbox_id,
		thread_id: out.thread_id ?? newThreadId(),
		message_id: newMessageId(),
		labels: [...new Set([...out.labels, 'sent'])],
		timestamp: now,
		from: formatAddress(out.inbox.email, out.inbox.display_name),
		to: out.to,
		attachments: out.attachments,
		size:
			Buffer.byteLength(`${out.subject ?? ''}${out.text ?? ''}${out.html ?? ''}`, 'utf8') +
			attachmentsSize(out.attachments),
		created_at: now,
		updated_at: now,
	};
	if (out.reply_to?.length) message.reply_to = out.reply_to;
	if (out.cc.length) message.cc = out.cc;
	if (out.bcc.length) message.bcc = out.bcc;
	if (out.subject !== undefined) message.subject = out.subject;
	if (out.text !== undefined) message.text = out.text;
	if (out.html !== undefined) message.html = out.html;
	if (out.in_reply_to !== undefined) message.in_reply_to = out.in_reply_to;
	if (out.references?.length) message.references = out.references;
	if (out.headers && Object.keys(out.headers).length) message.headers = out.headers;
	store.putMessage(message);
	// AgentMail reports the send before the recipients' inboxes see the mail.
	emitSent(store, message);
	const delivered = deliverLocally(store, message);
	store.recordSent({
		message: structuredClone(message),
		via: meta.via,
		...(meta.draftId !== undefined ? { draft_id: meta.draftId } : {}),
		...(meta.idempotencyKey !== undefined ? { idempotency_key: meta.idempotencyKey } : {}),
		sent_at: now,
		delivered_to: delivered,
	});
	return { message_id: message.message_id, thread_id: message.thread_id };
}
