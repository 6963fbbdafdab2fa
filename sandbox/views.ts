/** API response shapes (AGENTMAIL_API.md §2.2, §2.3, §3.3, §4.1, §5; threads: DEF `threads.yml`). */
import type {
	AttachmentRecord,
	DraftRecord,
	InboxRecord,
	ListEntryRecord,
	MessageRecord,
	OutboxRecord,
} from './model';
import { ORG_SCOPE } from './model';
import type { ThreadRecord } from './mail/threads';
import { lastMessage, threadLabels, threadRecipients, threadSenders } from './mail/threads';

type Json = Record<string, unknown>;

/** Copies `keys` of `record` that are defined, in that order. */
function pick<T extends object>(record: T, keys: ReadonlyArray<keyof T>): Json {
	const out: Json = {};
	for (const key of keys) {
		const value = record[key];
		if (value !== undefined) out[key as string] = value;
	}
	return out;
}

export function previewOf(text?: string, html?: string): string | undefined {
	const source = text ?? html?.replace(/<[^>]*>/g, ' ');
	if (source === undefined) return undefined;
	const collapsed = source.replace(/\s+/g, ' ').trim();
	return collapsed ? collapsed.slice(0, 200) : undefined;
}

export function toAttachment(attachment: AttachmentRecord): Json {
	return pick(attachment, [
		'attachment_id',
		'filename',
		'size',
		'content_type',
		'content_disposition',
		'content_id',
	]);
}

function withAttachments(out: Json, attachments: AttachmentRecord[]): Json {
	if (attachments.length > 0) out.attachments = attachments.map(toAttachment);
	return out;
}

export function toInbox(inbox: InboxRecord): Json {
	return pick(inbox, [
		'pod_id',
		'inbox_id',
		'email',
		'display_name',
		'client_id',
		'metadata',
		'updated_at',
		'created_at',
	]);
}

export function toDraft(draft: DraftRecord): Json {
	const out = pick(draft, [
		'inbox_id',
		'draft_id',
		'client_id',
		'labels',
		'reply_to',
		'to',
		'cc',
		'bcc',
		'subject',
	]);
	const preview = previewOf(draft.text, draft.html);
	if (preview !== undefined) out.preview = preview;
	Object.assign(out, pick(draft, ['text', 'html']));
	withAttachments(out, draft.attachments);
	return Object.assign(
		out,
		pick(draft, [
			'in_reply_to',
			'forward_of',
			'references',
			'send_status',
			'send_at',
			'updated_at',
			'created_at',
		]),
	);
}

const DRAFT_ITEM_OMITS = ['text', 'html', 'reply_to', 'references', 'client_id', 'created_at'];

/** DraftItem: the list summary, without body, reply_to, references, client_id, created_at. */
export function toDraftItem(draft: DraftRecord): Json {
	const out = toDraft(draft);
	for (const key of DRAFT_ITEM_OMITS) delete out[key];
	return out;
}

export function toMessage(message: MessageRecord): Json {
	const out = pick(message, [
		'inbox_id',
		'thread_id',
		'message_id',
		'labels',
		'timestamp',
		'from',
		'reply_to',
		'to',
		'cc',
		'bcc',
		'subject',
	]);
	const preview = previewOf(message.text, message.html);
	if (preview !== undefined) out.preview = preview;
	Object.assign(out, pick(message, ['text', 'html']));
	if (message.text !== undefined) out.extracted_text = message.text;
	if (message.html !== undefined) out.extracted_html = message.html;
	withAttachments(out, message.attachments);
	return Object.assign(
		out,
		pick(message, ['in_reply_to', 'references', 'headers', 'size', 'updated_at', 'created_at']),
	);
}

const MESSAGE_ITEM_OMITS = ['reply_to', 'text', 'html', 'extracted_text', 'extracted_html'];

/** MessageItem: the list summary, without reply_to and bodies. */
export function toMessageItem(message: MessageRecord): Json {
	const out = toMessage(message);
	for (const key of MESSAGE_ITEM_OMITS) delete out[key];
	return out;
}

const latest = (messages: MessageRecord[], label: string): string | undefined =>
	messages.filter((message) => message.labels.includes(label)).at(-1)?.timestamp;

/**
 * ThreadItem: labels are those of its messages, `timestamp` the last message's,
 * `received_timestamp` / `sent_timestamp` the last received / sent one's,
 * `subject` the first message's, `preview` the last one's.
 */
export function toThreadItem(thread: ThreadRecord): Json {
	const { messages } = thread;
	const last = lastMessage(thread);
	const out: Json = {
		inbox_id: thread.inbox_id,
		thread_id: thread.thread_id,
		labels: threadLabels(thread),
		timestamp: last.timestamp,
	};
	const received = latest(messages, 'received');
	if (received !== undefined) out.received_timestamp = received;
	const sent = latest(messages, 'sent');
	if (sent !== undefined) out.sent_timestamp = sent;
	out.senders = threadSenders(thread);
	out.recipients = threadRecipients(thread);
	if (messages[0].subject !== undefined) out.subject = messages[0].subject;
	const preview = previewOf(last.text, last.html);
	if (preview !== undefined) out.preview = preview;
	withAttachments(out, messages.flatMap((message) => message.attachments));
	return Object.assign(out, {
		last_message_id: last.message_id,
		message_count: messages.length,
		size: messages.reduce((sum, message) => sum + message.size, 0),
		updated_at: messages.map((message) => message.updated_at).reduce((a, b) => (a > b ? a : b)),
		created_at: messages[0].created_at,
	});
}

/** ListEntry at org scope; PodListEntry (with pod_id and inbox_id) at inbox scope. */
export function toListEntry(entry: ListEntryRecord, organizationId: string, podId: string): Json {
	const out: Json = { entry: entry.entry, organization_id: organizationId };
	if (entry.reason !== undefined) out.reason = entry.reason;
	Object.assign(out, {
		direction: entry.direction,
		list_type: entry.list_type,
		entry_type: entry.entry_type,
		created_at: entry.created_at,
	});
	if (entry.scope !== ORG_SCOPE) Object.assign(out, { pod_id: podId, inbox_id: entry.scope });
	return out;
}

/** One `GET /_sandbox/outbox` entry: the full message plus how and when it was sent. */
export function toOutboxEntry(record: OutboxRecord): Json {
	const message = toMessage(record.message);
	message.attachments = record.message.attachments.map((attachment) => ({
		...toAttachment(attachment),
		...pick(attachment, ['content', 'url']),
	}));
	return {
		...message,
		via: record.via,
		...pick(record, ['draft_id', 'idempotency_key']),
		sent_at: record.sent_at,
		delivered_to: record.delivered_to,
	};
}
