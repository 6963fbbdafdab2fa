/**
 * Receiving mail. Sent mail addressed to a sandbox inbox lands there as a
 * `received` message (so a whole conversation runs locally), and so does
 * mail injected with `POST /_sandbox/inbound`. A received message joins the
 * recipient's thread holding a message it refers to (In-Reply-To /
 * References). The recipient's receive lists (or reply lists, for replies to
 * its own sent mail) apply: a rejected sender's mail is stored with the
 * hidden `blocked` label instead of `unread`.
 */
import { emailOf } from '../addresses';
import { newThreadId } from '../ids';
import type { InboxRecord, MessageRecord } from '../model';
import type { Store } from '../store';
import { emitReceived } from '../events/emit';
import { evaluate } from './policy';

function threadIn(store: Store, inboxId: string, message: MessageRecord): string {
	const related = [message.in_reply_to, ...(message.references ?? [])].filter((id): id is string => !!id);
	for (const id of related) {
		const known = store.getMessage(inboxId, id);
		if (known) return known.thread_id;
	}
	return newThreadId();
}

/** Whether the message answers one this inbox sent (then `reply` lists apply, else `receive`). */
function isReplyTo(store: Store, inboxId: string, message: MessageRecord): boolean {
	if (!message.in_reply_to) return false;
	return store.getMessage(inboxId, message.in_reply_to)?.labels.includes('sent') ?? false;
}

/** Stores a copy of `message` as received by `inbox`. */
export function receiveMessage(
	store: Store,
	inbox: InboxRecord,
	message: MessageRecord,
	extraLabels: string[] = [],
): MessageRecord {
	const direction = isReplyTo(store, inbox.inbox_id, message) ? 'reply' : 'receive';
	const sender = emailOf(message.from) ?? message.from;
	const allowed = evaluate(store, inbox.inbox_id, direction, sender).allowed;
	const copy: MessageRecord = {
		...message,
		inbox_id: inbox.inbox_id,
		thread_id: threadIn(store, inbox.inbox_id, message),
		labels: [...new Set(['received', allowed ? 'unread' : 'blocked', ...extraLabels])],
		attachments: message.attachments.map((attachment) => ({ ...attachment })),
	};
	delete copy.bcc;
	store.putMessage(copy);
	emitReceived(store, copy);
	return copy;
}

/** Delivers a sent `message` to the sandbox inboxes among its recipients; returns their ids. */
export function deliverLocally(store: Store, message: MessageRecord): string[] {
	const recipients = new Set(
		[...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])]
			.map((address) => emailOf(address))
			.filter((email): email is string => !!email),
	);
	const delivered: string[] = [];
	for (const email of recipients) {
		const inbox = store.getInbox(email);
		if (!inbox) continue;
		delivered.push(inbox.inbox_id);
		if (inbox.inbox_id === message.inbox_id) {
			// Sent to itself: one message carrying both labels.
			message.labels = [...new Set([...message.labels, 'received', 'unread'])];
			store.putMessage(message);
			emitReceived(store, message);
		} else {
			receiveMessage(store, inbox, message);
		}
	}
	return delivered;
}
