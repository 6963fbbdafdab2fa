/** Inboxes (AGENTMAIL_API.md §5): list, get, create, update, delete. */
import { nowIso } from '../clock';
import { noContent, ok, type RequestContext } from '../context';
import { createInbox } from '../mail/inboxes';
import type { MetadataValue } from '../model';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import { createInboxSchema, parseBody, updateInboxSchema } from '../schemas';
import { toInbox } from '../views';
import { descending, inboxOf, timeKey } from './common';

function listInboxes(ctx: RequestContext) {
	const page = paginate({
		items: [...ctx.app.store.inboxes.values()],
		keyOf: (inbox) => timeKey(inbox.created_at, inbox.inbox_id),
		descending: descending(ctx.query),
		query: ctx.query,
		binding: 'inboxes',
	});
	return ok(pageBody('inboxes', page, toInbox));
}

function updateInbox(ctx: RequestContext) {
	const inbox = inboxOf(ctx);
	const input = parseBody(updateInboxSchema, ctx.body);
	const next = structuredClone(inbox);
	if (input.display_name !== undefined) next.display_name = input.display_name;
	if (input.metadata === null) delete next.metadata;
	else if (input.metadata !== undefined) {
		const merged: Record<string, MetadataValue> = { ...next.metadata };
		for (const [key, value] of Object.entries(input.metadata)) {
			if (value === null) delete merged[key];
			else merged[key] = value;
		}
		next.metadata = merged;
	}
	next.updated_at = nowIso();
	ctx.app.store.putInbox(next);
	return ok(toInbox(next));
}

export const inboxRoutes: Route[] = [
	{ method: 'GET', pattern: '/v0/inboxes', handler: listInboxes },
	{ method: 'GET', pattern: '/v0/inboxes/:inbox_id', handler: (ctx) => ok(toInbox(inboxOf(ctx))) },
	{
		method: 'POST',
		pattern: '/v0/inboxes',
		handler: (ctx) => ok(toInbox(createInbox(ctx.app.store, parseBody(createInboxSchema, ctx.body)).inbox)),
	},
	{ method: 'PATCH', pattern: '/v0/inboxes/:inbox_id', handler: updateInbox },
	{
		method: 'DELETE',
		pattern: '/v0/inboxes/:inbox_id',
		handler: (ctx) => {
			ctx.app.store.deleteInbox(inboxOf(ctx).inbox_id);
			return noContent();
		},
	},
];
