/**
 * `/_sandbox/*`: inspection, state control and fault injection for tests and
 * demos. No API key; loopback clients only (http.ts).
 */
import { toList } from '../addresses';
import { toApiKeyView } from '../apiKeys';
import { nowIso } from '../clock';
import { noContent, ok, type RequestContext } from '../context';
import { apiError, conflict, invalidField, notFound } from '../errors';
import { newMessageId, randomId } from '../ids';
import { attachmentsSize, downloadRefusal, findStoredAttachment, storeAttachments } from '../mail/attachments';
import { receiveMessage } from '../mail/delivery';
import { toDelivery } from '../events/dispatcher';
import { emitInjected } from '../events/emit';
import { createInbox, DEFAULT_DOMAIN } from '../mail/inboxes';
import type { InboxRecord, MessageRecord } from '../model';
import type { Route } from '../router';
import type { Permission } from '../permissions';
import { createApiKeySchema, faultSchema, inboundSchema, rateLimitSchema, injectEventSchema, parseBody, seedSchema } from '../schemas';
import { toInbox, toMessage, toOutboxEntry } from '../views';
import { inboxById } from './common';

function seed(ctx: RequestContext) {
	const input = parseBody(seedSchema, ctx.body);
	const store = ctx.app.store;
	const inboxes: InboxRecord[] = (input.inboxes ?? []).map((spec) => createInbox(store, spec).inbox);
	const prefix = input.prefix ?? 'seed';
	const domain = input.domain ?? DEFAULT_DOMAIN;
	let n = 0;
	for (let made = 0; made < (input.count ?? 0); made++) {
		let username: string;
		do username = `${prefix}-${String(++n).padStart(3, '0')}`;
		while (store.getInbox(`${username}@${domain}`));
		inboxes.push(createInbox(store, { username, domain, display_name: `Seed Inbox ${n}` }).inbox);
	}
	return ok({ inboxes: inboxes.map(toInbox) });
}

/** A key for the organization, with a permission set when `permissions` is given. Dropped by reset. */
function createApiKey(ctx: RequestContext) {
	const input = parseBody(createApiKeySchema, ctx.body);
	const apiKey = input.api_key ?? `am_sandbox_${randomId(24)}`;
	if (ctx.app.apiKeys.get(apiKey)?.configured) {
		throw conflict(`${apiKey} is a configured key`, 'Pick another api_key; configured keys (options, --api-key, --key) cannot be replaced.');
	}
	const permissions = input.permissions
		? (Object.entries(input.permissions).filter(([, granted]) => granted === true).map(([p]) => p) as Permission[])
		: undefined;
	try {
		return ok(toApiKeyView(ctx.app.apiKeys.add({ apiKey, name: input.name, permissions })));
	} catch (error) {
		throw invalidField(['api_key'], (error as Error).message);
	}
}

/** Mail from outside the sandbox arriving in one of its inboxes. */
function inbound(ctx: RequestContext) {
	const input = parseBody(inboundSchema, ctx.body);
	const inbox = inboxById(ctx.app.store, input.inbox_id);
	const now = nowIso();
	const attachments = storeAttachments(input.attachments);
	const message: MessageRecord = {
		inbox_id: inbox.inbox_id,
		thread_id: '',
		message_id: newMessageId(),
		labels: [],
		timestamp: now,
		from: input.from,
		to: input.to !== undefined ? toList(input.to) : [inbox.email],
		attachments,
		size: Buffer.byteLength(`${input.subject ?? ''}${input.text ?? ''}${input.html ?? ''}`) + attachmentsSize(attachments),
		created_at: now,
		updated_at: now,
	};
	if (input.cc !== undefined) message.cc = toList(input.cc);
	if (input.reply_to !== undefined) message.reply_to = toList(input.reply_to);
	for (const key of ['subject', 'text', 'html', 'in_reply_to', 'headers'] as const) {
		if (input[key] !== undefined) Object.assign(message, { [key]: input[key] });
	}
	const references = input.references ?? (input.in_reply_to ? [input.in_reply_to] : undefined);
	if (references) message.references = references;
	return ok(toMessage(receiveMessage(ctx.app.store, inbox, message, input.labels)));
}

function downloadAttachment(ctx: RequestContext) {
	const refusal = downloadRefusal(
		ctx.params.attachment_id,
		ctx.query.string('expires'),
		ctx.query.string('signature'),
		ctx.headers.authorization,
	);
	if (refusal) throw apiError(refusal.startsWith('Only one') ? 400 : 403, refusal);
	const attachment = findStoredAttachment(ctx.app.store, ctx.params.attachment_id);
	if (!attachment?.content) throw notFound('Attachment');
	return {
		status: 200,
		body: Buffer.from(attachment.content, 'base64'),
		headers: {
			'content-type': attachment.content_type ?? 'application/octet-stream',
			'content-disposition': `attachment; filename="${(attachment.filename ?? 'attachment').replace(/"/g, '')}"`,
		},
	};
}

export const adminRoutes: Route[] = [
	{
		method: 'GET',
		pattern: '/_sandbox/health',
		handler: (ctx) =>
			ok({
				status: 'ok',
				organization_id: ctx.app.store.organizationId,
				pod_id: ctx.app.store.podId,
				seed_inbox: ctx.app.options.seedInbox,
				inboxes: ctx.app.store.inboxes.size,
			}),
	},
	{
		method: 'GET',
		pattern: '/_sandbox/outbox',
		handler: (ctx) => ok({ messages: ctx.app.store.outbox.map(toOutboxEntry) }),
	},
	{ method: 'GET', pattern: '/_sandbox/requests', handler: (ctx) => ok({ requests: ctx.app.requests.list() }) },
	{
		method: 'DELETE',
		pattern: '/_sandbox/requests',
		handler: (ctx) => {
			ctx.app.requests.clear();
			return noContent();
		},
	},
	{ method: 'POST', pattern: '/_sandbox/reset', handler: (ctx) => ok({ inboxes: [toInbox(ctx.app.reset())] }) },
	{ method: 'POST', pattern: '/_sandbox/seed', handler: seed },
	{ method: 'GET', pattern: '/_sandbox/api-keys', handler: (ctx) => ok({ api_keys: ctx.app.apiKeys.list().map(toApiKeyView) }) },
	{ method: 'POST', pattern: '/_sandbox/api-keys', handler: createApiKey },
	{ method: 'POST', pattern: '/_sandbox/inbound', handler: inbound },
	{
		method: 'POST',
		pattern: '/_sandbox/faults',
		handler: (ctx) => ok(ctx.app.faults.add(parseBody(faultSchema, ctx.body))),
	},
	{ method: 'GET', pattern: '/_sandbox/faults', handler: (ctx) => ok({ faults: ctx.app.faults.list() }) },
	{
		method: 'POST',
		pattern: '/_sandbox/rate-limit',
		handler: (ctx) => {
			ctx.app.rateLimits.set(parseBody(rateLimitSchema, ctx.body));
			return ok({ rate_limit: ctx.app.rateLimits.get() });
		},
	},
	{ method: 'GET', pattern: '/_sandbox/rate-limit', handler: (ctx) => ok({ rate_limit: ctx.app.rateLimits.get() }) },
	{
		method: 'DELETE',
		pattern: '/_sandbox/rate-limit',
		handler: (ctx) => {
			ctx.app.rateLimits.set(null);
			return noContent();
		},
	},
	{
		method: 'DELETE',
		pattern: '/_sandbox/faults',
		handler: (ctx) => {
			ctx.app.faults.clear();
			return noContent();
		},
	},
	{
		method: 'POST',
		pattern: '/_sandbox/scheduler/run',
		handler: async (ctx) => ok({ sent: await ctx.app.scheduler.tick() }),
	},
	{ method: 'GET', pattern: '/_sandbox/attachments/:attachment_id', handler: downloadAttachment },
	{
		method: 'GET',
		pattern: '/_sandbox/events',
		handler: (ctx) => ok({ events: ctx.app.store.events }),
	},
	{ method: 'POST', pattern: '/_sandbox/events', handler: injectEvent },
	{
		method: 'GET',
		pattern: '/_sandbox/webhooks/deliveries',
		handler: (ctx) => {
			const webhookId = ctx.query.string('webhook_id');
			const eventId = ctx.query.string('event_id');
			const deliveries = [...ctx.app.webhooks.deliveries.values()].filter(
				(d) => (!webhookId || d.webhook_id === webhookId) && (!eventId || d.event_id === eventId),
			);
			return ok({ deliveries: deliveries.map(toDelivery) });
		},
	},
	{
		method: 'POST',
		pattern: '/_sandbox/webhooks/deliveries/:delivery_id/redeliver',
		handler: (ctx) => {
			const delivery = ctx.app.webhooks.deliveries.get(ctx.params.delivery_id);
			if (!delivery) throw notFound('Delivery');
			ctx.app.webhooks.redeliver(delivery);
			return ok(toDelivery(delivery));
		},
	},
	{ method: 'GET', pattern: '/_sandbox/websockets', handler: (ctx) => ok({ connections: ctx.app.websockets.list() }) },
	{
		method: 'POST',
		pattern: '/_sandbox/websockets/replay/:event_id',
		handler: (ctx) => {
			const emitted = ctx.app.store.events.find((e) => e.event.event_id === ctx.params.event_id);
			if (!emitted) throw notFound('Event');
			return ok({ sent: ctx.app.websockets.replay(emitted), event: emitted.event });
		},
	},
	{
		method: 'POST',
		pattern: '/_sandbox/websockets/drop',
		handler: (ctx) => ok({ dropped: ctx.app.websockets.drop() }),
	},
];

/** A bounce, complaint, open or delivery of a message a sandbox inbox sent, or a domain verification. */
function injectEvent(ctx: RequestContext) {
	const input = parseBody(injectEventSchema, ctx.body);
	let message: MessageRecord | undefined;
	if (input.event_type !== 'domain.verified') {
		const inbox = inboxById(ctx.app.store, input.inbox_id ?? '');
		message = ctx.app.store.getMessage(inbox.inbox_id, input.message_id ?? '');
		if (!message) throw notFound('Message', 'Pass the message_id of a message this inbox sent.');
	}
	return ok(emitInjected(ctx.app.store, message, input));
}
