/**
 * Threads (DEF `threads.yml`, `inboxes/threads.yml`; AGENTMAIL_API.md §3.4, §8):
 * list, get (with its messages, paged), attachment, update labels, delete,
 * at inbox scope (`/v0/inboxes/{inbox_id}/threads`) and organization scope
 * (`/v0/threads`). Each route is one self-contained entry of `threadRoutes`.
 */
import { noContent, ok, type RequestContext } from '../context';
import { attachmentResponse } from '../mail/attachments';
import { assertUserLabels } from '../mail/labels';
import {
	deleteThread,
	findThread,
	lastMessage,
	threadLabels,
	threadRecipients,
	threadSenders,
	threadsOf,
	updateThreadLabels,
	type ThreadRecord,
} from '../mail/threads';
import { HIDDEN_LABELS } from '../model';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import { parseBody, updateThreadSchema } from '../schemas';
import { toMessage, toThreadItem } from '../views';
import { descending, inboxOf, labelAndTimeFilter, timeKey } from './common';

/** Filtered lists run on the search backend, which caps `limit` (as for messages). */
const SEARCH_LIMIT = 100;
/** Thread get pages its messages (npm 0.5.27): `limit` at most 100. */
const MESSAGE_PAGE_LIMIT = 100;

/** The path's inbox id when the route is inbox-scoped (404 for an unknown inbox). */
const scopeOf = (ctx: RequestContext): string | undefined =>
	ctx.params.inbox_id !== undefined ? inboxOf(ctx).inbox_id : undefined;

const threadOf = (ctx: RequestContext): ThreadRecord => findThread(ctx.app.store, ctx.params.thread_id, scopeOf(ctx));

/**
 * A thread is listed while one of its messages is visible: hidden labels
 * (spam, trash, ...) count unless `include_<label>` is set or `labels` names them.
 */
function visibility(ctx: RequestContext): (thread: ThreadRecord) => boolean {
	const asked = new Set(ctx.query.list('labels') ?? []);
	const hidden = HIDDEN_LABELS.filter((label) => !ctx.query.bool(`include_${label}`) && !asked.has(label));
	return (thread) => thread.messages.some((message) => !hidden.some((label) => message.labels.includes(label)));
}

/** `senders`, `recipients` and `subject`: case-insensitive substrings, all must match. */
function textFilters(ctx: RequestContext): { active: boolean; matches: (thread: ThreadRecord) => boolean } {
	const senders = ctx.query.list('senders') ?? [];
	const recipients = ctx.query.list('recipients') ?? [];
	const subject = ctx.query.list('subject') ?? [];
	const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());
	const anyContains = (values: string[], needle: string) => values.some((value) => contains(value, needle));
	return {
		active: senders.length + recipients.length + subject.length > 0,
		matches: (thread) =>
			senders.every((needle) => anyContains(threadSenders(thread), needle)) &&
			recipients.every((needle) => anyContains(threadRecipients(thread), needle)) &&
			subject.every((needle) => contains(thread.messages[0].subject ?? '', needle)),
	};
}

function listThreads(ctx: RequestContext) {
	const inboxId = scopeOf(ctx);
	const visible = visibility(ctx);
	const text = textFilters(ctx);
	const inRange = labelAndTimeFilter(ctx.query, (thread: ThreadRecord & { labels: string[] }) => lastMessage(thread).timestamp);
	const threads = threadsOf(ctx.app.store, inboxId)
		.map((thread) => ({ ...thread, labels: threadLabels(thread) }))
		.filter((thread) => visible(thread) && text.matches(thread) && inRange(thread));
	const page = paginate({
		items: threads,
		keyOf: (thread) => timeKey(lastMessage(thread).timestamp, `${thread.inbox_id}\u0000${thread.thread_id}`),
		descending: descending(ctx.query),
		query: ctx.query,
		binding: `threads:${inboxId ?? '*'}`,
		maxLimit: text.active ? SEARCH_LIMIT : undefined,
	});
	return ok(pageBody('threads', page, toThreadItem));
}

/**
 * The thread with one page of its messages: the first page holds the newest
 * messages, oldest first within the page; `next_page_token` leads to older ones.
 */
function getThread(ctx: RequestContext) {
	const thread = threadOf(ctx);
	const page = paginate({
		items: thread.messages,
		keyOf: (message) => timeKey(message.timestamp, message.message_id),
		descending: true,
		query: ctx.query,
		binding: `thread:${thread.inbox_id}:${thread.thread_id}`,
		maxLimit: MESSAGE_PAGE_LIMIT,
	});
	const body = toThreadItem(thread);
	body.count = page.count;
	body.limit = page.limit;
	if (page.next_page_token !== undefined) body.next_page_token = page.next_page_token;
	body.messages = [...page.items].reverse().map(toMessage);
	return ok(body);
}

function updateThread(ctx: RequestContext) {
	const thread = threadOf(ctx);
	const input = parseBody(updateThreadSchema, ctx.body);
	const add = input.add_labels ?? [];
	const remove = input.remove_labels ?? [];
	assertUserLabels(add, 'add_labels');
	assertUserLabels(remove, 'remove_labels');
	return ok({ thread_id: thread.thread_id, labels: updateThreadLabels(ctx.app.store, thread, add, remove) });
}

function getThreadAttachment(ctx: RequestContext) {
	const attachments = threadOf(ctx).messages.flatMap((message) => message.attachments);
	return ok(attachmentResponse(attachments, ctx.params.attachment_id, ctx.baseUrl));
}

const INBOX = '/v0/inboxes/:inbox_id/threads';
const ORG = '/v0/threads';

export const threadRoutes: Route[] = [
	{ method: 'GET', pattern: INBOX, handler: listThreads },
	{ method: 'GET', pattern: `${INBOX}/:thread_id`, handler: getThread },
	{ method: 'GET', pattern: `${INBOX}/:thread_id/attachments/:attachment_id`, handler: getThreadAttachment },
	{ method: 'PATCH', pattern: `${INBOX}/:thread_id`, handler: updateThread },
	{
		method: 'DELETE',
		pattern: `${INBOX}/:thread_id`,
		handler: (ctx) => {
			deleteThread(ctx.app.store, threadOf(ctx));
			return noContent();
		},
	},
	{ method: 'GET', pattern: ORG, handler: listThreads },
	{ method: 'GET', pattern: `${ORG}/:thread_id`, handler: getThread },
	{ method: 'GET', pattern: `${ORG}/:thread_id/attachments/:attachment_id`, handler: getThreadAttachment },
	{ method: 'PATCH', pattern: `${ORG}/:thread_id`, handler: updateThread },
	{
		method: 'DELETE',
		pattern: `${ORG}/:thread_id`,
		handler: (ctx) => {
			deleteThread(ctx.app.store, threadOf(ctx));
			return noContent();
		},
	},
];
