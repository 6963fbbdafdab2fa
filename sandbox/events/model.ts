/**
 * Events and webhooks as the sandbox keeps them (AGENTMAIL_API.md §6).
 * Webhooks are persisted with the rest of the state; deliveries are not.
 */

export const EVENT_TYPES = [
	'message.received',
	'message.received.spam',
	'message.received.blocked',
	'message.received.unauthenticated',
	'message.sent',
	'message.delivered',
	'message.bounced',
	'message.complained',
	'message.rejected',
	'message.opened',
	'domain.verified',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The envelope AgentMail sends on webhooks and WebSockets: `{type, event_type, event_id, <body key>: ...}`. */
export interface AgentMailEvent {
	type: 'event';
	event_type: EventType;
	event_id: string;
	[body: string]: unknown;
}

/** Which inbox / pod an event belongs to, for webhook and subscription filters. */
export interface EventScope {
	inbox_id?: string;
	pod_id?: string;
}

export interface EmittedEvent {
	event: AgentMailEvent;
	scope: EventScope;
	emitted_at: string;
}

/** `org`, or the pod / inbox a scoped webhook was created under. */
export type WebhookScope = { kind: 'org' } | { kind: 'pod'; pod_id: string } | { kind: 'inbox'; inbox_id: string };

export interface WebhookRecord {
	webhook_id: string;
	scope: WebhookScope;
	url: string;
	event_types: EventType[];
	inbox_ids?: string[];
	pod_ids?: string[];
	secret: string;
	enabled: boolean;
	client_id?: string;
	/** Custom delivery headers (write-only on the API). */
	headers?: Record<string, string>;
	created_at: string;
	updated_at: string;
}

export interface DeliveryAttempt {
	at: string;
	svix_timestamp: string;
	status?: number;
	error?: string;
	duration_ms: number;
}

export interface DeliveryRecord {
	delivery_id: string;
	webhook_id: string;
	/** Stable across retries and redeliveries of this delivery. */
	svix_id: string;
	event_id: string;
	event_type: EventType;
	url: string;
	/** The exact bytes POSTed. */
	payload: string;
	status: 'pending' | 'delivered' | 'failed';
	attempts: DeliveryAttempt[];
	next_attempt_at?: string;
	created_at: string;
}
