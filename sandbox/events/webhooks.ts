/**
 * Webhook management rules (AGENTMAIL_API.md §6.1) at organization, pod and
 * inbox scope. Deliveries may only go to loopback URLs: nothing leaves the machine.
 */
import { nowIso } from '../clock';
import { conflict, invalidField, notFound } from '../errors';
import { randomId } from '../ids';
import type { Store } from '../store';
import type { EmittedEvent, EventType, WebhookRecord, WebhookScope } from './model';
import { newWebhookSecret } from './signing';

export const MAX_IDS_PER_WEBHOOK = 10;
export const newWebhookId = (): string => `wh_${randomId(24)}`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** 400 unless `url` is http(s) on a loopback host. */
export function checkDeliveryUrl(url: string): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw invalidField(['url'], 'url is not a valid URL');
	}
	if (!/^https?:$/.test(parsed.protocol)) throw invalidField(['url'], 'url must be http or https');
	if (!LOOPBACK_HOSTS.has(parsed.hostname)) {
		throw invalidField(
			['url'],
			`The sandbox delivers webhooks to loopback URLs only (127.0.0.1, localhost, ::1), not ${parsed.hostname}`,
			'Point the webhook at a local receiver, e.g. http://127.0.0.1:5678/webhook/...',
		);
	}
}

export interface CreateWebhookInput {
	url: string;
	event_types: EventType[];
	inbox_ids?: string[];
	pod_ids?: string[];
	client_id?: string;
	headers?: Record<string, string>;
}

export interface UpdateWebhookInput {
	event_types?: EventType[];
	add_inbox_ids?: string[];
	remove_inbox_ids?: string[];
	add_pod_ids?: string[];
	remove_pod_ids?: string[];
}

const sameScope = (a: WebhookScope, b: WebhookScope): boolean => JSON.stringify(a) === JSON.stringify(b);

export function webhooksIn(store: Store, scope: WebhookScope): WebhookRecord[] {
	return [...store.webhooks.values()].filter((webhook) => scope.kind === 'org' || sameScope(webhook.scope, scope));
}

export function webhookIn(store: Store, scope: WebhookScope, webhookId: string): WebhookRecord {
	const webhook = store.webhooks.get(webhookId);
	if (!webhook || (scope.kind !== 'org' && !sameScope(webhook.scope, scope))) {
		throw notFound('Webhook', 'Check the webhook_id; GET /v0/webhooks lists them.');
	}
	return webhook;
}

function checkInboxes(store: Store, ids: string[] | undefined, field: string): string[] | undefined {
	if (!ids) return undefined;
	const out = [...new Set(ids.map((id) => id.toLowerCase()))];
	for (const id of out) {
		if (!store.getInbox(id)) throw invalidField([field], `Inbox ${id} does not exist`);
	}
	return out;
}

function checkPods(store: Store, ids: string[] | undefined, field: string): string[] | undefined {
	if (!ids) return undefined;
	const out = [...new Set(ids)];
	for (const id of out) if (id !== store.podId) throw invalidField([field], `Pod ${id} does not exist`);
	return out;
}

function checkCount(ids: string[] | undefined, field: string): void {
	if (ids && ids.length > MAX_IDS_PER_WEBHOOK) {
		throw invalidField([field], `At most ${MAX_IDS_PER_WEBHOOK} ids per webhook; got ${ids.length}`);
	}
}

/** Create, or with a known `client_id` return the webhook made before (idempotent create). */
export function createWebhook(store: Store, scope: WebhookScope, input: CreateWebhookInput): WebhookRecord {
	checkDeliveryUrl(input.url);
	if (input.client_id !== undefined) {
		const existing = [...store.webhooks.values()].find((webhook) => webhook.client_id === input.client_id);
		if (existing) {
			if (!sameScope(existing.scope, scope) || existing.url !== input.url) {
				throw conflict(
					`A webhook with client_id ${input.client_id} already exists with another URL or scope`,
					'Use another client_id, or delete the existing webhook first.',
				);
			}
			return existing;
		}
	}
	const inboxIds = checkInboxes(store, input.inbox_ids, 'inbox_ids');
	const podIds = checkPods(store, input.pod_ids, 'pod_ids');
	checkCount(inboxIds, 'inbox_ids');
	checkCount(podIds, 'pod_ids');
	const now = nowIso();
	const webhook: WebhookRecord = {
		webhook_id: newWebhookId(),
		scope,
		url: input.url,
		event_types: [...new Set(input.event_types)],
		secret: newWebhookSecret(),
		enabled: true,
		created_at: now,
		updated_at: now,
	};
	if (inboxIds?.length) webhook.inbox_ids = inboxIds;
	if (podIds?.length) webhook.pod_ids = podIds;
	if (input.client_id !== undefined) webhook.client_id = input.client_id;
	if (input.headers && Object.keys(input.headers).length) webhook.headers = { ...input.headers };
	store.putWebhook(webhook);
	return webhook;
}

export function updateWebhook(store: Store, webhook: WebhookRecord, input: UpdateWebhookInput): WebhookRecord {
	if (input.event_types?.length) webhook.event_types = [...new Set(input.event_types)];
	const apply = (current: string[] | undefined, add?: string[], remove?: string[]): string[] | undefined => {
		const set = new Set(current ?? []);
		for (const id of add ?? []) set.add(id);
		for (const id of remove ?? []) set.delete(id);
		return set.size ? [...set] : undefined;
	};
	const inboxIds = apply(
		webhook.inbox_ids,
		checkInboxes(store, input.add_inbox_ids, 'add_inbox_ids'),
		input.remove_inbox_ids?.map((id) => id.toLowerCase()),
	);
	const podIds = apply(webhook.pod_ids, checkPods(store, input.add_pod_ids, 'add_pod_ids'), input.remove_pod_ids);
	checkCount(inboxIds, 'inbox_ids');
	checkCount(podIds, 'pod_ids');
	if (inboxIds) webhook.inbox_ids = inboxIds;
	else delete webhook.inbox_ids;
	if (podIds) webhook.pod_ids = podIds;
	else delete webhook.pod_ids;
	webhook.updated_at = nowIso();
	store.putWebhook(webhook);
	return webhook;
}

export function updateHeaders(
	store: Store,
	webhook: WebhookRecord,
	input: { headers?: Record<string, string>; remove_headers?: string[] },
): void {
	const headers = { ...(webhook.headers ?? {}) };
	const lower = (name: string) => name.toLowerCase();
	for (const name of input.remove_headers ?? []) {
		if (input.headers && Object.keys(input.headers).some((key) => lower(key) === lower(name))) {
			throw invalidField(['remove_headers'], `Header ${name} cannot be set and removed in the same request`);
		}
		for (const key of Object.keys(headers)) if (lower(key) === lower(name)) delete headers[key];
	}
	Object.assign(headers, input.headers ?? {});
	if (Object.keys(headers).length) webhook.headers = headers;
	else delete webhook.headers;
	webhook.updated_at = nowIso();
	store.putWebhook(webhook);
}

/**
 * Whether `webhook` receives this event: its type is subscribed, and the
 * event's inbox is in the webhook's scope and inbox / pod filters.
 */
export function webhookMatches(webhook: WebhookRecord, emitted: EmittedEvent): boolean {
	if (!webhook.enabled || !webhook.event_types.includes(emitted.event.event_type)) return false;
	return scopeMatches(webhook.scope, webhook.inbox_ids, webhook.pod_ids, emitted);
}

/** Shared with WebSocket subscriptions: org-wide unless inbox / pod ids narrow it (either may match). */
export function scopeMatches(
	scope: WebhookScope,
	inboxIds: string[] | undefined,
	podIds: string[] | undefined,
	emitted: EmittedEvent,
): boolean {
	const { inbox_id: inboxId, pod_id: podId } = emitted.scope;
	if (scope.kind === 'inbox' && scope.inbox_id !== inboxId) return false;
	if (scope.kind === 'pod' && scope.pod_id !== podId) return false;
	const narrowed = Boolean(inboxIds?.length) || Boolean(podIds?.length);
	if (!narrowed) return true;
	return (
		(inboxId !== undefined && (inboxIds ?? []).includes(inboxId)) ||
		(podId !== undefined && (podIds ?? []).includes(podId))
	);
}
