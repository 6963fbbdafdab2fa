/**
 * Messages (AGENTMAIL_API.md §3): list, get, update labels, delete,
 * attachments, and the sends (send, reply, reply-all, forward).
 */
import { toList } from '../addresses';
import { nowIso } from '../clock';
import { noContent, ok, type RequestContext } from '../context';
import { attachmentResponse, copyAttachments, storeAttachments } from '../mail/attachments';
import { sourceMessage } from '../mail/drafts';
import { applyLabelChanges, assertUserLabels, labelList } from '../mail/labels';
import { sendOutgoing, type Outgoing } from '../mail/sending';
import { forwardSubject, forwardedBody, replyRecipients, replySubject, threadingFrom } from '../mail/threading';
import type { InboxRecord, MessageRecord, SendVia } from '../model';
import { HIDDEN_LABELS } from '../model';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import {
	parseBody,
	replyAllSchema,
	replySchema,
	sendMessageSchema,
	updateLabelsSchema,
	type SendMessageInput,
} from '../schemas';
import { toMessage, toMessageItem } from '../views';
import { descending, inboxOf, labelAndTimeFilter, timeKey } from './common';

const SEARCH_LIMIT = 100;

function messageOf(ctx: RequestContext): MessageRecord {
	return sourceMessage(ctx.app.store, inboxOf(ctx).inbox_id, ctx.params.message_id, 'message_id');
}

/** Hidden labels (spam, trash, ...) are left out unless `include_<label>` or asked for by `labels`. */
function visibility(ctx: RequestContext): (message: MessageRecord) => boolean {
	const asked = new Set(ctx.query.list('labels') ?? []);
	const hidden = HIDDEN_LABELS.filter((label) => !ctx.query.bool(`include_${label}`) && !asked.has(label));
	return (message) => !hidden.some((label) => message.labels.includes(label));
}

/** `from`, `to` (to/cc/bcc) and `subject`: case-insensitive substrings, all must match. */
function textFilters(ctx: RequestContext): { active: boolean; matches: (message: MessageRecord) => boolean } {
	const fields = {
		from: ctx.query.list('from') ?? [],
		to: ctx.query.list('to') ?? [],
		subject: ctx.query.list('subject') ?? [],
	};
	const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());
	return {
		active: fields.from.length + fields.to.length + fields.subject.length > 0,
		matches: (message) =>
			fields.from.every((needle) => contains(message.from, needle)) &&
			fields.to.every((needle) =>
				[...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])].some((address) => contains(address, needle)),
			) &&
			fields.subject.every((needle) => contains(message.subject ?? '', needle)),
	};
}

function listMessages(ctx: RequestContext) {
	const inbox = inboxOf(ctx);
	const visible = visibility(ctx);
	const text = textFilters(ctx);
	const inRange = labelAndTimeFilter(ctx.query, (message: MessageRecord) => message.timestamp);
	const page = paginate({
		items: ctx.app.store.messagesOf(inbox.inbox_id).filter((m) => visible(m) && text.matches(m) && inRange(m)),
		keyOf: (message) => timeKey(message.timestamp, message.message_id),
		descending: descending(ctx.query),
		query: ctx.query,
		binding: `messages:${inbox.inbox_id}`,
		maxLimit: text.active ? SEARCH_LIMIT : undefined,
	});
	return ok(pageBody('messages', page, toMessageItem));
}

function updateLabels(ctx: RequestContext) {
	const message = messageOf(ctx);
	const input = parseBody(updateLabelsSchema, ctx.body);
	const add = labelList(input.add_labels);
	const remove = labelList(input.remove_labels);
	assertUserLabels(add, 'add_labels');
	assertUserLabels(remove, 'remove_labels');
	const next = { ...message, labels: applyLabelChanges(message.labels, add, remove), updated_at: nowIso() };
	ctx.app.store.putMessage(next);
	return ok({ message_id: next.message_id, labels: next.labels });
}

type Content = Pick<SendMessageInput, 'labels' | 'reply_to' | 'text' | 'html' | 'attachments' | 'headers'>;

/** The parts every send body shares. */
function outgoing(inbox: InboxRecord, input: Content): Outgoing {
	const labels = input.labels ?? [];
	assertUserLabels(labels, 'labels');
	return {
		inbox,
		to: [],
		cc: [],
		bcc: [],
		reply_to: toList(input.reply_to),
		text: input.text,
		html: input.html,
		attachments: storeAttachments(input.attachments),
		labels,
		headers: input.headers,
	};
}

/** Validates, waits out injected latency (the Idempotency-Key stays in progress meanwhile), sends. */
async function dispatch(ctx: RequestContext, out: Outgoing, via: SendVia) {
	await ctx.pause();
	return ok(sendOutgoing(ctx.app.store, out, { via, idempotencyKey: ctx.idempotencyKey }));
}

function send(ctx: RequestContext) {
	const input = parseBody(sendMessageSchema, ctx.body);
	const out = outgoing(inboxOf(ctx), input);
	Object.assign(out, { to: toList(input.to), cc: toList(input.cc), bcc: toList(input.bcc), subject: input.subject });
	return dispatch(ctx, out, 'send');
}

/** reply (recipients may be overridden, `reply_all` widens them) and reply-all. */
function reply(all: boolean) {
	return (ctx: RequestContext) => {
		const input = all ? { ...parseBody(replyAllSchema, ctx.body), reply_all: true } : parseBody(replySchema, ctx.body);
		const inbox = inboxOf(ctx);
		const source = messageOf(ctx);
		const derived = replyRecipients(source, inbox, input.reply_all ?? false);
		const out = outgoing(inbox, input);
		Object.assign(out, threadingFrom(source), {
			to: 'to' in input && input.to !== undefined ? toList(input.to) : derived.to,
			cc: 'cc' in input && input.cc !== undefined ? toList(input.cc) : derived.cc,
			bcc: 'bcc' in input ? toList(input.bcc) : [],
			subject: replySubject(source.subject),
		});
		return dispatch(ctx, out, all ? 'reply-all' : 'reply');
	};
}

function forward(ctx: RequestContext) {
	const input = parseBody(sendMessageSchema, ctx.body);
	const source = messageOf(ctx);
	const out = outgoing(inboxOf(ctx), input);
	Object.assign(out, threadingFrom(source), forwardedBody(source, input.text, input.html), {
		to: toList(input.to),
		cc: toList(input.cc),
		bcc: toList(input.bcc),
		subject: input.subject ?? forwardSubject(source.subject),
		attachments: [...out.attachments, ...copyAttachments(source.attachments)],
	});
	return dispatch(ctx, out, 'forward');
}

const BASE = '/v0/inboxes/:inbox_id/messages';

export const messageRoutes: Route[] = [
	{ method: 'GET', pattern: BASE, handler: listMessages },
	{ method: 'GET', pattern: `${BASE}/:message_id`, handler: (ctx) => ok(toMessage(messageOf(ctx))) },
	{ method: 'PATCH', pattern: `${BASE}/:message_id`, handler: updateLabels },
	{
		method: 'DELETE',
		pattern: `${BASE}/:message_id`,
		handler: (ctx) => {
			ctx.app.store.deleteMessage(messageOf(ctx));
			return noContent();
		},
	},
	{
		method: 'GET',
		pattern: `${BASE}/:message_id/attachments/:attachment_id`,
		handler: (ctx) => ok(attachmentResponse(messageOf(ctx).attachments, ctx.params.attachment_id, ctx.baseUrl)),
	},
	{ method: 'POST', pattern: `${BASE}/send`, handler: send, idempotent: true },
	{ method: 'POST', pattern: `${BASE}/:message_id/reply`, handler: reply(false), idempotent: true },
	{ method: 'POST', pattern: `${BASE}/:message_id/reply-all`, handler: reply(true), idempotent: true },
	{ method: 'POST', pattern: `${BASE}/:message_id/forward`, handler: forward, idempotent: true },
];
