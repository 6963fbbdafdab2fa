/**
 * The events the sandbox's mail produces (AGENTMAIL_API.md §6.2, §6.3), built
 * from the stored records and handed to the store's event listeners (webhook
 * dispatcher, WebSocket hub).
 */
import { emailOf } from '../addresses';
import { nowIso } from '../clock';
import { randomId } from '../ids';
import type { InboxRecord, MessageRecord } from '../model';
import type { Store } from '../store';
import { previewOf, toMessage } from '../views';
import type { AgentMailEvent, EventType } from './model';

export const newEventId = (): string => `evt_${randomId(24)}`;

function emit(store: Store, eventType: EventType, bodyKey: string, body: unknown, inboxId?: string): AgentMailEvent {
	const event: AgentMailEvent = { type: 'event', event_type: eventType, event_id: newEventId(), [bodyKey]: body };
	const inbox = inboxId ? store.getInbox(inboxId) : undefined;
	store.emitEvent(event, { inbox_id: inbox?.inbox_id ?? inboxId, pod_id: inbox?.pod_id });
	return event;
}

/** ThreadItem of the thread `message` is in (§6.3). */
function threadItem(store: Store, message: MessageRecord): Record<string, unknown> {
	const messages = store
		.messagesOf(message.inbox_id)
		.filter((m) => m.thread_id === message.thread_id)
		.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
	const all = messages.length ? messages : [message];
	const last = all[all.length - 1];
	const received = all.filter((m) => m.labels.includes('received'));
	const sent = all.filter((m) => m.labels.includes('sent'));
	const addresses = (list: string[]) => [...new Set(list.map((a) => emailOf(a) ?? a))];
	const item: Record<string, unknown> = {
		inbox_id: message.inbox_id,
		thread_id: message.thread_id,
		labels: [...new Set(all.flatMap((m) => m.labels))],
		timestamp: last.timestamp,
		senders: addresses(all.map((m) => m.from)),
		recipients: addresses(all.flatMap((m) => [...m.to, ...(m.cc ?? [])])),
		last_message_id: last.message_id,
		message_count: all.length,
		size: all.reduce((sum, m) => sum + m.size, 0),
		updated_at: last.updated_at,
		created_at: all[0].created_at,
	};
	if (received.length) item.received_timestamp = received[received.length - 1].timestamp;
	if (sent.length) item.sent_timestamp = sent[sent.length - 1].timestamp;
	if (all[0].subject !== undefined) item.subject = all[0].subject;
	const preview = previewOf(last.text, last.html);
	if (preview !== undefined) item.preview = preview;
	const attachments = all.flatMap((m) => m.attachments);
	if (attachments.length) {
		item.attachments = attachments.map((a) => ({
			attachment_id: a.attachment_id,
			filename: a.filename,
			size: a.size,
			content_type: a.content_type,
		}));
	}
	return item;
}

/** Payloads are capped at 1 MB: above that `text` and `html` are left out (§6.3). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

function messageForEvent(message: MessageRecord): Record<string, unknown> {
	const view = toMessage(message);
	if (Buffer.byteLength(JSON.stringify(view)) <= MAX_PAYLOAD_BYTES) return view;
	for (const key of ['text', 'html', 'extracted_text', 'extracted_html']) delete view[key];
	return view;
}

/** `message.received` (or `.spam` / `.blocked` / `.unauthenticated` by the hidden label it got). */
export function emitReceived(store: Store, message: MessageRecord): AgentMailEvent {
	const type: EventType = message.labels.includes('spam')
		? 'message.received.spam'
		: message.labels.includes('blocked')
			? 'message.received.blocked'
			: message.labels.includes('unauthenticated')
				? 'message.received.unauthenticated'
				: 'message.received';
	const event: AgentMailEvent = {
		type: 'event',
		event_type: type,
		event_id: newEventId(),
		message: messageForEvent(message),
		thread: threadItem(store, message),
	};
	const inbox = store.getInbox(message.inbox_id);
	store.emitEvent(event, { inbox_id: message.inbox_id, pod_id: inbox?.pod_id });
	return event;
}

const common = (message: MessageRecord, timestamp = nowIso()) => ({
	inbox_id: message.inbox_id,
	thread_id: message.thread_id,
	message_id: message.message_id,
	timestamp,
});

const recipientsOf = (message: MessageRecord): string[] => [
	...new Set([...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])].map((a) => emailOf(a) ?? a)),
];

/** `message.sent`, then `message.delivered` (the sandbox delivers at once to every recipient). */
export function emitSent(store: Store, message: MessageRecord): void {
	const recipients = recipientsOf(message);
	emit(store, 'message.sent', 'send', { ...common(message), recipients }, message.inbox_id);
	emit(store, 'message.delivered', 'delivery', { ...common(message), recipients }, message.inbox_id);
}

/** `message.rejected` for a send the lists refused: nothing was sent, so the ids are new ones. */
export function emitRejected(store: Store, inbox: InboxRecord, ids: { thread_id: string; message_id: string }, reason: string): void {
	emit(store, 'message.rejected', 'reject', { inbox_id: inbox.inbox_id, ...ids, timestamp: nowIso(), reason }, inbox.inbox_id);
}

export interface InjectedEvent {
	event_type: 'message.bounced' | 'message.complained' | 'message.opened' | 'message.delivered' | 'domain.verified';
	inbox_id?: string;
	message_id?: string;
	type?: string;
	sub_type?: string;
	recipients?: string[];
	domain?: string;
}

/** Admin-injected bounce, complaint, open, delivery or domain verification about a sent message. */
export function emitInjected(store: Store, message: MessageRecord | undefined, input: InjectedEvent): AgentMailEvent {
	if (input.event_type === 'domain.verified') {
		const domain = input.domain ?? 'example.com';
		return emit(store, 'domain.verified', 'domain', {
			domain_id: domain,
			domain,
			status: 'VERIFIED',
			feedback_enabled: true,
			records: [],
			created_at: nowIso(),
			updated_at: nowIso(),
		});
	}
	if (!message) throw new Error('a message is required for this event type');
	const recipients = input.recipients ?? recipientsOf(message);
	switch (input.event_type) {
		case 'message.bounced':
			return emit(
				store,
				'message.bounced',
				'bounce',
				{
					...common(message),
					type: input.type ?? 'Permanent',
					sub_type: input.sub_type ?? 'General',
					recipients: recipients.map((address) => ({ address, status: 'bounced' })),
				},
				message.inbox_id,
			);
		case 'message.complained':
			return emit(
				store,
				'message.complained',
				'complaint',
				{ ...common(message), type: input.type ?? 'abuse', sub_type: input.sub_type ?? 'complaint', recipients },
				message.inbox_id,
			);
		case 'message.opened':
			return emit(store, 'message.opened', 'open', common(message), message.inbox_id);
		default:
			return emit(store, 'message.delivered', 'delivery', { ...common(message), recipients }, message.inbox_id);
	}
}
