/**
 * API key permissions (AGENTMAIL_API.md §9.1; `ApiKeyPermissions` in the
 * vendor's api-keys.yml and in the agentmail SDK). A key created without a permission set has every
 * permission; a key with a set has only the permissions in it, and a request
 * that needs one it lacks is answered 403 `missing_permission` before the
 * handler runs: nothing is read, written or sent.
 *
 * ROUTE_RULES is the one place that says which permission each /v0 route
 * needs. A route that is not in it is refused to every key that has a
 * permission set (fail closed) and allowed to keys without one. To add a
 * route: add `'<METHOD> <pattern>': '<permission>'` with the pattern exactly as
 * in sandbox/routes/*.ts, or `{ needs, also }` when the body or query adds
 * permissions (test/sandbox/permissions.test.ts fails for a route without a rule).
 */
import { apiError, type ApiError } from './errors';
import { HIDDEN_LABELS } from './model';
import type { Query } from './query';

export const PERMISSIONS = [
	'inbox_read',
	'inbox_create',
	'inbox_update',
	'inbox_delete',
	'message_read',
	'message_send',
	'message_update',
	'message_delete',
	'label_spam_read',
	'label_blocked_read',
	'label_unauthenticated_read',
	'label_trash_read',
	'draft_read',
	'draft_create',
	'draft_update',
	'draft_delete',
	'draft_send',
	'webhook_read',
	'webhook_create',
	'webhook_update',
	'webhook_delete',
	'domain_read',
	'domain_create',
	'domain_update',
	'domain_delete',
	'list_entry_read',
	'list_entry_create',
	'list_entry_delete',
	'metrics_read',
	'api_key_read',
	'api_key_create',
	'api_key_update',
	'api_key_delete',
	// In the agentmail SDK 0.5.27 (accounts/providers), not yet in the definition files; no sandbox route needs them.
	'provider_connect',
	'provider_share_owner',
	'pod_read',
	'pod_create',
	'pod_delete',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (name: string): name is Permission => (PERMISSIONS as readonly string[]).includes(name);

/** What a conditional rule may look at: the query and the parsed JSON body. */
export interface PermissionRequest {
	query: Query;
	body: unknown;
}

type Rule = Permission | { needs: Permission; also: (request: PermissionRequest) => Permission[] };

const field = (body: unknown, name: string): unknown =>
	typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;

/**
 * A draft with a `send_at` is sent by the scheduler without another request,
 * so scheduling needs `draft_send` too. AgentMail's docs do not say; this is
 * the stricter reading, without which a draft-only key could send.
 */
const scheduling = (request: PermissionRequest): Permission[] =>
	field(request.body, 'send_at') !== undefined && field(request.body, 'send_at') !== null ? ['draft_send'] : [];

/** "Reading the referenced message requires message_read" (CreateDraftRequest, drafts.yml). */
const newDraft = (request: PermissionRequest): Permission[] => [
	...(field(request.body, 'in_reply_to') || field(request.body, 'forward_of') ? (['message_read'] as const) : []),
	...scheduling(request),
];

/** A draft made from a message reads that message. */
const draftFromMessage = (request: PermissionRequest): Permission[] => ['message_read', ...scheduling(request)];

const labelPermission = (label: string): Permission | undefined => {
	const name = `label_${label}_read`;
	return isPermission(name) ? name : undefined;
};

/** Spam, blocked, unauthenticated and trash messages need their label permission. */
const hiddenLabels = (request: PermissionRequest): Permission[] => {
	const asked = new Set(request.query.list('labels') ?? []);
	return HIDDEN_LABELS.filter((label) => request.query.bool(`include_${label}`) === true || asked.has(label))
		.map(labelPermission)
		.filter((p): p is Permission => p !== undefined);
};

/** "Subscribing to message.received.spam/.blocked/.unauthenticated requires the matching label permission" (webhooks). */
export function eventTypePermissions(eventTypes: unknown): Permission[] {
	if (!Array.isArray(eventTypes)) return [];
	return eventTypes
		.map((type) => (typeof type === 'string' ? /^message\.received\.(\w+)$/.exec(type)?.[1] : undefined))
		.map((label) => (label ? labelPermission(label) : undefined))
		.filter((p): p is Permission => p !== undefined);
}
const webhookEvents = (request: PermissionRequest): Permission[] => eventTypePermissions(field(request.body, 'event_types'));

const INBOX = '/v0/inboxes/:inbox_id';
const MESSAGE = `${INBOX}/messages/:message_id`;
const scopes = (path: string): string[] => [`${INBOX}${path}`, `/v0${path}`];

function rules(): Record<string, Rule> {
	const table: Record<string, Rule> = {
		'GET /v0/inboxes': 'inbox_read',
		'POST /v0/inboxes': 'inbox_create',
		[`GET ${INBOX}`]: 'inbox_read',
		[`PATCH ${INBOX}`]: 'inbox_update',
		[`DELETE ${INBOX}`]: 'inbox_delete',

		[`POST ${INBOX}/drafts`]: { needs: 'draft_create', also: newDraft },
		[`PATCH ${INBOX}/drafts/:draft_id`]: { needs: 'draft_update', also: scheduling },
		[`DELETE ${INBOX}/drafts/:draft_id`]: 'draft_delete',
		[`POST ${INBOX}/drafts/:draft_id/send`]: 'draft_send',

		[`GET ${INBOX}/messages`]: { needs: 'message_read', also: hiddenLabels },
		[`GET ${MESSAGE}`]: 'message_read',
		[`GET ${MESSAGE}/attachments/:attachment_id`]: 'message_read',
		[`PATCH ${MESSAGE}`]: 'message_update',
		[`DELETE ${MESSAGE}`]: 'message_delete',
		[`POST ${INBOX}/messages/send`]: 'message_send',
		[`POST ${MESSAGE}/reply`]: 'message_send',
		[`POST ${MESSAGE}/reply-all`]: 'message_send',
		[`POST ${MESSAGE}/forward`]: 'message_send',
		[`POST ${MESSAGE}/draft-reply`]: { needs: 'draft_create', also: draftFromMessage },
		[`POST ${MESSAGE}/draft-reply-all`]: { needs: 'draft_create', also: draftFromMessage },
		[`POST ${MESSAGE}/draft-forward`]: { needs: 'draft_create', also: draftFromMessage },
	};
	for (const base of scopes('/drafts')) {
		table[`GET ${base}`] = 'draft_read';
		table[`GET ${base}/:draft_id`] = 'draft_read';
		table[`GET ${base}/:draft_id/attachments/:attachment_id`] = 'draft_read';
	}
	// "message_read: also required to read threads", message_update / message_delete likewise.
	for (const base of scopes('/threads')) {
		table[`GET ${base}`] = { needs: 'message_read', also: hiddenLabels };
		table[`GET ${base}/:thread_id`] = 'message_read';
		table[`GET ${base}/:thread_id/attachments/:attachment_id`] = 'message_read';
		table[`PATCH ${base}/:thread_id`] = 'message_update';
		table[`DELETE ${base}/:thread_id`] = 'message_delete';
	}
	for (const base of scopes('/lists/:direction/:type')) {
		table[`GET ${base}`] = 'list_entry_read';
		table[`POST ${base}`] = 'list_entry_create';
		table[`GET ${base}/:entry`] = 'list_entry_read';
		table[`DELETE ${base}/:entry`] = 'list_entry_delete';
	}
	for (const base of ['/v0/webhooks', '/v0/pods/:pod_id/webhooks', `${INBOX}/webhooks`]) {
		table[`GET ${base}`] = 'webhook_read';
		table[`POST ${base}`] = { needs: 'webhook_create', also: webhookEvents };
		table[`GET ${base}/:webhook_id`] = 'webhook_read';
		table[`PATCH ${base}/:webhook_id`] = { needs: 'webhook_update', also: webhookEvents };
		table[`DELETE ${base}/:webhook_id`] = 'webhook_delete';
		table[`GET ${base}/:webhook_id/headers`] = 'webhook_read';
		table[`PATCH ${base}/:webhook_id/headers`] = 'webhook_update';
	}
	return table;
}

export const ROUTE_RULES: Readonly<Record<string, Rule>> = rules();

export const ruleKey = (method: string, pattern: string): string => `${method} ${pattern}`;

/** The permissions a request needs; undefined when the route has no rule. */
export function requiredPermissions(method: string, pattern: string, request: PermissionRequest): Permission[] | undefined {
	const rule = ROUTE_RULES[ruleKey(method, pattern)];
	if (rule === undefined) return undefined;
	if (typeof rule === 'string') return [rule];
	return [...new Set([rule.needs, ...rule.also(request)])];
}

/** AgentMail's 403 for a key without a permission (§7.2: the message stays "Forbidden"). */
export function missingPermission(missing: Permission[]): ApiError {
	const list = missing.map((p) => `\`${p}\``).join(' and ');
	return apiError(403, 'Forbidden', {
		code: 'missing_permission',
		fix: `Use an API key with the ${list} permission${missing.length > 1 ? 's' : ''}, or add ${missing.length > 1 ? 'them' : 'it'} to this key.`,
	});
}

/** Throws 403 `missing_permission` unless `granted` covers the route; `granted` undefined = a key without a set. */
export function authorize(
	granted: ReadonlySet<Permission> | undefined,
	method: string,
	pattern: string,
	request: PermissionRequest,
): void {
	if (!granted) return;
	const needed = requiredPermissions(method, pattern, request);
	if (!needed) {
		throw apiError(403, 'Forbidden', {
			code: 'missing_permission',
			fix: `The sandbox has no permission rule for ${method} ${pattern}, so keys with a permission set are refused; add the rule to ROUTE_RULES in sandbox/permissions.ts.`,
		});
	}
	const missing = needed.filter((p) => !granted.has(p));
	if (missing.length) throw missingPermission(missing);
}
