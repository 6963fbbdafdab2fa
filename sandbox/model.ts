/**
 * Records as the sandbox stores them (snake_case, close to the wire shapes).
 * views.ts turns them into API responses.
 */

export type Direction = 'send' | 'receive' | 'reply';
export type ListType = 'allow' | 'block';
export type EntryType = 'email' | 'domain';
export type SendStatus = 'scheduled' | 'sending' | 'failed';
export type MetadataValue = string | number | boolean;

export interface InboxRecord {
	inbox_id: string;
	email: string;
	pod_id: string;
	display_name?: string;
	client_id?: string;
	metadata?: Record<string, MetadataValue>;
	created_at: string;
	updated_at: string;
}

export interface AttachmentRecord {
	attachment_id: string;
	filename?: string;
	size: number;
	content_type?: string;
	content_disposition?: 'inline' | 'attachment';
	content_id?: string;
	/** Base64 content (absent for `url` attachments, which the sandbox does not fetch). */
	content?: string;
	url?: string;
}

export interface DraftRecord {
	draft_id: string;
	inbox_id: string;
	client_id?: string;
	labels: string[];
	reply_to?: string[];
	to?: string[];
	cc?: string[];
	bcc?: string[];
	subject?: string;
	text?: string;
	html?: string;
	attachments: AttachmentRecord[];
	in_reply_to?: string;
	forward_of?: string;
	references?: string[];
	/** Thread a reply or forward draft joins when sent (not on the wire). */
	thread_id?: string;
	send_status?: SendStatus;
	send_at?: string;
	created_at: string;
	updated_at: string;
}

export interface MessageRecord {
	inbox_id: string;
	thread_id: string;
	message_id: string;
	labels: string[];
	timestamp: string;
	from: string;
	reply_to?: string[];
	to: string[];
	cc?: string[];
	bcc?: string[];
	subject?: string;
	text?: string;
	html?: string;
	attachments: AttachmentRecord[];
	in_reply_to?: string;
	references?: string[];
	headers?: Record<string, string>;
	size: number;
	created_at: string;
	updated_at: string;
}

/** `scope` is `org` or the inbox id of an inbox-scoped entry. */
export interface ListEntryRecord {
	scope: string;
	entry: string;
	direction: Direction;
	list_type: ListType;
	entry_type: EntryType;
	reason?: string;
	created_at: string;
}

export interface IdempotencyRecord {
	key: string;
	fingerprint: string;
	state: 'pending' | 'done';
	status?: number;
	response?: unknown;
	completed_at?: string;
}

export type SendVia = 'send' | 'reply' | 'reply-all' | 'forward' | 'draft' | 'scheduled';

/** What `GET /_sandbox/outbox` reports per sent message. */
export interface OutboxRecord {
	message: MessageRecord;
	via: SendVia;
	draft_id?: string;
	idempotency_key?: string;
	sent_at: string;
	/** Sandbox inboxes the message was delivered to. */
	delivered_to: string[];
}

export interface StateSnapshot {
	version: 1;
	organization_id: string;
	pod_id: string;
	inboxes: InboxRecord[];
	drafts: DraftRecord[];
	messages: MessageRecord[];
	list_entries: ListEntryRecord[];
	idempotency: IdempotencyRecord[];
	outbox: OutboxRecord[];
	/** Absent in files written before webhooks existed. */
	webhooks?: import('./events/model').WebhookRecord[];
}

export const ORG_SCOPE = 'org';

/** Labels the server manages; API callers cannot add or remove them. */
// The documented ones only: "sent, received, bounced, etc." (threads.yml) plus
// the automatic `scheduled` and `opened` (AGENTMAIL_API.md §3.4). Names such as
// `rejected` or `delivered` are not documented as reserved, so callers may use
// them (the approval node labels drafts `approved` / `rejected`).
export const SYSTEM_LABELS = new Set(['sent', 'received', 'scheduled', 'bounced', 'opened']);

/** Labels hidden from message lists unless the matching `include_*` flag is set. */
export const HIDDEN_LABELS = ['spam', 'blocked', 'unauthenticated', 'trash'] as const;
