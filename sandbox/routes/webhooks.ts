/** `/v0/webhooks`, `/v0/pods/:pod_id/webhooks`, `/v0/inboxes/:inbox_id/webhooks` (AGENTMAIL_API.md §6.1). */
import { noContent, ok, type RequestContext } from '../context';
import { notFound } from '../errors';
import type { WebhookRecord, WebhookScope } from '../events/model';
import {
	createWebhook,
	updateHeaders,
	updateWebhook,
	webhookIn,
	webhooksIn,
	type CreateWebhookInput,
	type UpdateWebhookInput,
} from '../events/webhooks';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import {
	createInboxWebhookSchema,
	createPodWebhookSchema,
	createWebhookSchema,
	parseBody,
	updateInboxWebhookSchema,
	updatePodWebhookSchema,
	updateWebhookHeadersSchema,
	updateWebhookSchema,
} from '../schemas';
import { descending, inboxOf, timeKey } from './common';

/** The Webhook object: everything but the scope and the header values. */
export function toWebhook(webhook: WebhookRecord): Record<string, unknown> {
	const out: Record<string, unknown> = {
		webhook_id: webhook.webhook_id,
		url: webhook.url,
		event_types: webhook.event_types,
	};
	if (webhook.pod_ids) out.pod_ids = webhook.pod_ids;
	if (webhook.inbox_ids) out.inbox_ids = webhook.inbox_ids;
	if (webhook.scope.kind === 'pod') out.pod_ids = [webhook.scope.pod_id];
	if (webhook.scope.kind === 'inbox') out.inbox_ids = [webhook.scope.inbox_id];
	Object.assign(out, {
		secret: webhook.secret,
		enabled: webhook.enabled,
		updated_at: webhook.updated_at,
		created_at: webhook.created_at,
	});
	if (webhook.client_id !== undefined) out.client_id = webhook.client_id;
	return out;
}

type ScopeKind = WebhookScope['kind'];

function scopeOf(kind: ScopeKind, ctx: RequestContext): WebhookScope {
	if (kind === 'inbox') return { kind, inbox_id: inboxOf(ctx).inbox_id };
	if (kind === 'pod') {
		if (ctx.params.pod_id !== ctx.app.store.podId) throw notFound('Pod');
		return { kind, pod_id: ctx.params.pod_id };
	}
	return { kind: 'org' };
}

const schemas = {
	org: { create: createWebhookSchema, update: updateWebhookSchema },
	pod: { create: createPodWebhookSchema, update: updatePodWebhookSchema },
	inbox: { create: createInboxWebhookSchema, update: updateInboxWebhookSchema },
} as const;

function routesFor(kind: ScopeKind, base: string): Route[] {
	return [
		{
			method: 'GET',
			pattern: base,
			handler: (ctx) => {
				const items = webhooksIn(ctx.app.store, scopeOf(kind, ctx));
				const page = paginate({
					items,
					keyOf: (webhook) => timeKey(webhook.created_at, webhook.webhook_id),
					descending: descending(ctx.query),
					query: ctx.query,
					binding: ctx.path,
				});
				return ok(pageBody('webhooks', page, toWebhook));
			},
		},
		{
			method: 'POST',
			pattern: base,
			handler: (ctx) => {
				const input = parseBody(schemas[kind].create, ctx.body) as CreateWebhookInput;
				return ok(toWebhook(createWebhook(ctx.app.store, scopeOf(kind, ctx), input)));
			},
		},
		{
			method: 'GET',
			pattern: `${base}/:webhook_id`,
			handler: (ctx) => ok(toWebhook(webhookIn(ctx.app.store, scopeOf(kind, ctx), ctx.params.webhook_id))),
		},
		{
			method: 'PATCH',
			pattern: `${base}/:webhook_id`,
			handler: (ctx) => {
				const webhook = webhookIn(ctx.app.store, scopeOf(kind, ctx), ctx.params.webhook_id);
				const input = parseBody(schemas[kind].update, ctx.body) as UpdateWebhookInput;
				return ok(toWebhook(updateWebhook(ctx.app.store, webhook, input)));
			},
		},
		{
			method: 'DELETE',
			pattern: `${base}/:webhook_id`,
			handler: (ctx) => {
				const webhook = webhookIn(ctx.app.store, scopeOf(kind, ctx), ctx.params.webhook_id);
				ctx.app.store.deleteWebhook(webhook.webhook_id);
				return noContent();
			},
		},
		{
			method: 'GET',
			pattern: `${base}/:webhook_id/headers`,
			handler: (ctx) => {
				const webhook = webhookIn(ctx.app.store, scopeOf(kind, ctx), ctx.params.webhook_id);
				return ok({ header_names: Object.keys(webhook.headers ?? {}) });
			},
		},
		{
			method: 'PATCH',
			pattern: `${base}/:webhook_id/headers`,
			handler: (ctx) => {
				const webhook = webhookIn(ctx.app.store, scopeOf(kind, ctx), ctx.params.webhook_id);
				updateHeaders(ctx.app.store, webhook, parseBody(updateWebhookHeadersSchema, ctx.body));
				return noContent();
			},
		},
	];
}

export const webhookRoutes: Route[] = [
	...routesFor('org', '/v0/webhooks'),
	...routesFor('pod', '/v0/pods/:pod_id/webhooks'),
	...routesFor('inbox', '/v0/inboxes/:inbox_id/webhooks'),
];
