/**
 * In-memory state of the one sandbox organization. Plain data access only:
 * the rules live in mail/*.ts. Every mutation ends with `changed()` so
 * persistence (persist.ts) can write the state out.
 */
import type {
	DraftRecord,
	IdempotencyRecord,
	InboxRecord,
	ListEntryRecord,
	MessageRecord,
	OutboxRecord,
	StateSnapshot,
} from './model';
import type { AgentMailEvent, EmittedEvent, EventScope, WebhookRecord } from './events/model';

const MAX_EVENT_LOG = 1000;

const key = (...parts: string[]): string => parts.join('\u0000');

export class Store {
	organizationId: string;
	podId: string;
	readonly inboxes = new Map<string, InboxRecord>();
	readonly drafts = new Map<string, DraftRecord>();
	/** Keyed by inbox id + message id: a sent message and its delivered copy share a Message-ID. */
	readonly messages = new Map<string, MessageRecord>();
	readonly listEntries = new Map<string, ListEntryRecord>();
	readonly idempotency = new Map<string, IdempotencyRecord>();
	readonly outbox: OutboxRecord[] = [];
	readonly webhooks = new Map<string, WebhookRecord>();
	/** The most recent events (GET /_sandbox/events), newest last. */
	readonly events: EmittedEvent[] = [];
	private readonly listeners: Array<() => void> = [];
	private readonly eventListeners: Array<(emitted: EmittedEvent) => void> = [];

	constructor(organizationId: string, podId: string) {
		this.organizationId = organizationId;
		this.podId = podId;
	}

	onChange(listener: () => void): void {
		this.listeners.push(listener);
	}

	changed(): void {
		for (const listener of this.listeners) listener();
	}

	/** Listeners run synchronously; they must not throw (dispatching is asynchronous on their side). */
	onEvent(listener: (emitted: EmittedEvent) => void): void {
		this.eventListeners.push(listener);
	}

	emitEvent(event: AgentMailEvent, scope: EventScope): void {
		const emitted: EmittedEvent = { event, scope, emitted_at: new Date().toISOString() };
		this.events.push(emitted);
		if (this.events.length > MAX_EVENT_LOG) this.events.splice(0, this.events.length - MAX_EVENT_LOG);
		for (const listener of this.eventListeners) listener(emitted);
	}

	putWebhook(webhook: WebhookRecord): void {
		this.webhooks.set(webhook.webhook_id, webhook);
		this.changed();
	}

	deleteWebhook(webhookId: string): void {
		this.webhooks.delete(webhookId);
		this.changed();
	}

	// Inboxes (ids are email addresses, compared case-insensitively)

	getInbox(inboxId: string): InboxRecord | undefined {
		return this.inboxes.get(inboxId.toLowerCase());
	}

	putInbox(inbox: InboxRecord): void {
		this.inboxes.set(inbox.inbox_id.toLowerCase(), inbox);
		this.changed();
	}

	/** Deletes the inbox and everything that belongs to it. */
	deleteInbox(inboxId: string): void {
		const id = inboxId.toLowerCase();
		this.inboxes.delete(id);
		for (const [draftId, draft] of this.drafts) if (draft.inbox_id === id) this.drafts.delete(draftId);
		for (const [k, message] of this.messages) if (message.inbox_id === id) this.messages.delete(k);
		for (const [k, entry] of this.listEntries) if (entry.scope === id) this.listEntries.delete(k);
		this.changed();
	}

	// Drafts

	putDraft(draft: DraftRecord): void {
		this.drafts.set(draft.draft_id, draft);
		this.changed();
	}

	deleteDraft(draftId: string): void {
		this.drafts.delete(draftId);
		this.changed();
	}

	// Messages

	getMessage(inboxId: string, messageId: string): MessageRecord | undefined {
		return this.messages.get(key(inboxId.toLowerCase(), messageId));
	}

	putMessage(message: MessageRecord): void {
		this.messages.set(key(message.inbox_id, message.message_id), message);
		this.changed();
	}

	deleteMessage(message: MessageRecord): void {
		this.messages.delete(key(message.inbox_id, message.message_id));
		this.changed();
	}

	messagesOf(inboxId: string): MessageRecord[] {
		const id = inboxId.toLowerCase();
		return [...this.messages.values()].filter((message) => message.inbox_id === id);
	}

	// List entries

	getListEntry(scope: string, direction: string, listType: string, entry: string): ListEntryRecord | undefined {
		return this.listEntries.get(key(scope, direction, listType, entry));
	}

	putListEntry(entry: ListEntryRecord): void {
		this.listEntries.set(key(entry.scope, entry.direction, entry.list_type, entry.entry), entry);
		this.changed();
	}

	deleteListEntry(entry: ListEntryRecord): void {
		this.listEntries.delete(key(entry.scope, entry.direction, entry.list_type, entry.entry));
		this.changed();
	}

	listEntriesOf(scope: string, direction: string, listType: string): ListEntryRecord[] {
		return [...this.listEntries.values()].filter(
			(entry) => entry.scope === scope && entry.direction === direction && entry.list_type === listType,
		);
	}

	// Outbox

	recordSent(record: OutboxRecord): void {
		this.outbox.push(record);
		this.changed();
	}

	// Whole state

	clear(): void {
		this.inboxes.clear();
		this.drafts.clear();
		this.messages.clear();
		this.listEntries.clear();
		this.idempotency.clear();
		this.outbox.length = 0;
		this.webhooks.clear();
		this.events.length = 0;
	}

	snapshot(): StateSnapshot {
		return {
			version: 1,
			organization_id: this.organizationId,
			pod_id: this.podId,
			inboxes: [...this.inboxes.values()],
			drafts: [...this.drafts.values()],
			messages: [...this.messages.values()],
			list_entries: [...this.listEntries.values()],
			idempotency: [...this.idempotency.values()].filter((record) => record.state === 'done'),
			outbox: [...this.outbox],
			webhooks: [...this.webhooks.values()],
		};
	}

	load(snapshot: StateSnapshot): void {
		this.clear();
		this.organizationId = snapshot.organization_id;
		this.podId = snapshot.pod_id;
		for (const inbox of snapshot.inboxes) this.inboxes.set(inbox.inbox_id.toLowerCase(), inbox);
		for (const draft of snapshot.drafts) {
			// A send cut short by a stop: back to scheduled (or plain) so it is not stuck in `sending`.
			if (draft.send_status === 'sending') {
				if (draft.send_at) draft.send_status = 'scheduled';
				else delete draft.send_status;
			}
			this.drafts.set(draft.draft_id, draft);
		}
		for (const message of snapshot.messages) this.messages.set(key(message.inbox_id, message.message_id), message);
		for (const entry of snapshot.list_entries) {
			this.listEntries.set(key(entry.scope, entry.direction, entry.list_type, entry.entry), entry);
		}
		for (const record of snapshot.idempotency) this.idempotency.set(record.key, record);
		this.outbox.push(...snapshot.outbox);
		for (const webhook of snapshot.webhooks ?? []) this.webhooks.set(webhook.webhook_id, webhook);
	}
}
