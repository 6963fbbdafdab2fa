import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { bareAddress as parsedAddress } from '../../shared/helpers/addresses';

/** AgentMail's event types (AGENTMAIL_API.md §6.2); the `.spam` / `.blocked` / `.unauthenticated` ones are opt-in. */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Domain Verified', value: 'domain.verified', description: 'A sending domain finished verification' },
	{ name: 'Message Bounced', value: 'message.bounced', description: 'A sent message bounced' },
	{ name: 'Message Complained', value: 'message.complained', description: 'A recipient marked a sent message as spam' },
	{ name: 'Message Delivered', value: 'message.delivered', description: "A sent message reached the recipient's server" },
	{
		name: 'Message Opened',
		value: 'message.opened',
		description: 'A sent message was opened (needs open tracking on a custom domain)',
	},
	{ name: 'Message Received', value: 'message.received', description: 'New mail arrived in an inbox' },
	{
		name: 'Message Received (Blocked, Opt-In)',
		value: 'message.received.blocked',
		description: 'Mail from a sender on a block list (needs the label_blocked_read permission)',
	},
	{
		name: 'Message Received (Spam, Opt-In)',
		value: 'message.received.spam',
		description: 'Mail classified as spam (needs the label_spam_read permission)',
	},
	{
		name: 'Message Received (Unauthenticated, Opt-In)',
		value: 'message.received.unauthenticated',
		description: 'Mail that failed SPF/DKIM/DMARC',
	},
	{ name: 'Message Rejected', value: 'message.rejected', description: 'A send was refused (e.g. by a block list)' },
	{ name: 'Message Sent', value: 'message.sent', description: 'An inbox sent a message' },
];

export const EVENT_TYPES = EVENT_OPTIONS.map((option) => String(option.value));

/** The key of the event's body object per type (§6.3). */
const BODY_KEYS: Record<string, string> = {
	'message.sent': 'send',
	'message.delivered': 'delivery',
	'message.bounced': 'bounce',
	'message.complained': 'complaint',
	'message.rejected': 'reject',
	'message.opened': 'open',
	'domain.verified': 'domain',
};

export const isReceived = (eventType: string): boolean =>
	eventType === 'message.received' || eventType.startsWith('message.received.');

export interface AgentMailEvent extends IDataObject {
	type: string;
	event_type: string;
	event_id: string;
}

export function isEvent(value: unknown): value is AgentMailEvent {
	const event = value as AgentMailEvent | null;
	return (
		!!event &&
		typeof event === 'object' &&
		event.type === 'event' &&
		typeof event.event_type === 'string' &&
		typeof event.event_id === 'string'
	);
}

/** The object holding inbox_id / thread_id / message_id: the message for received mail, else the body. */
function subject(event: AgentMailEvent): IDataObject | undefined {
	const key = isReceived(event.event_type) ? 'message' : BODY_KEYS[event.event_type];
	const body = key ? event[key] : undefined;
	return body && typeof body === 'object' ? (body as IDataObject) : undefined;
}

export function inboxOf(event: AgentMailEvent): string | undefined {
	const id = subject(event)?.inbox_id;
	return typeof id === 'string' ? id.toLowerCase() : undefined;
}

/**
 * One output item per event: the ids on top, then `message` (+ `thread`) for
 * received mail or the body under its own key (`send`, `delivery`, `bounce`,
 * `complaint`, `reject`, `open`, `domain`), then the whole envelope as `event`.
 */
export function toItem(event: AgentMailEvent): IDataObject {
	const body = subject(event) ?? {};
	const item: IDataObject = {
		event_type: event.event_type,
		event_id: event.event_id,
		inbox_id: body.inbox_id ?? null,
		thread_id: body.thread_id ?? null,
		message_id: body.message_id ?? null,
	};
	if (isReceived(event.event_type)) {
		item.message = event.message ?? null;
		item.thread = event.thread ?? null;
	} else {
		const key = BODY_KEYS[event.event_type];
		if (key) item[key] = event[key] ?? null;
	}
	item.event = event;
	return item;
}

/** Bare lower-case address of `Name <addr@host>` or `addr@host` (the nodes' one address parser). */
export function bareAddress(value: unknown): string | undefined {
	return typeof value === 'string' ? parsedAddress(value)?.toLowerCase() : undefined;
}

export function senderOf(event: AgentMailEvent): string | undefined {
	if (!isReceived(event.event_type)) return undefined;
	return bareAddress((event.message as IDataObject | undefined)?.from);
}
