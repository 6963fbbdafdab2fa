/** Helpers shared by the route modules. */
import type { RequestContext } from '../context';
import { notFound } from '../errors';
import type { InboxRecord } from '../model';
import type { Query } from '../query';
import type { Store } from '../store';

/** The inbox with this id, or 404 "Inbox not found". */
export function inboxById(store: Store, inboxId: string): InboxRecord {
	const inbox = store.getInbox(inboxId);
	if (!inbox) throw notFound('Inbox', 'Check the inbox_id (the inbox email address); GET /v0/inboxes lists them.');
	return inbox;
}

/** The `{inbox_id}` of the path, or 404. */
export const inboxOf = (ctx: RequestContext): InboxRecord => inboxById(ctx.app.store, ctx.params.inbox_id ?? '');

/** `sort key + id`, unique and ordered like the sort key. */
export const timeKey = (time: string, id: string): string => `${time}\u0000${id}`;

/**
 * The `labels` (all must match), `before` and `after` filters of draft and
 * message lists; `timeOf` is the field the list sorts on.
 */
export function labelAndTimeFilter<T extends { labels: string[] }>(
	query: Query,
	timeOf: (item: T) => string,
): (item: T) => boolean {
	const labels = query.list('labels') ?? [];
	const before = query.datetime('before');
	const after = query.datetime('after');
	return (item) => {
		if (!labels.every((label) => item.labels.includes(label))) return false;
		const time = Date.parse(timeOf(item));
		if (before !== undefined && !(time < before)) return false;
		if (after !== undefined && !(time > after)) return false;
		return true;
	};
}

/** Newest first unless `ascending=true`. */
export const descending = (query: Query): boolean => !(query.bool('ascending') ?? false);
