/**
 * Allow/block lists (AGENTMAIL_API.md §4) at organization scope
 * (`/v0/lists/...`) and inbox scope (`/v0/inboxes/{inbox_id}/lists/...`);
 * one set of handlers serves both.
 */
import { nowIso } from '../clock';
import { noContent, ok, type RequestContext } from '../context';
import { invalidField, notFound } from '../errors';
import { classifyEntry, collectionPath, DIRECTIONS, LIST_TYPES } from '../mail/lists';
import type { Direction, ListEntryRecord, ListType } from '../model';
import { ORG_SCOPE } from '../model';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import { createListEntrySchema, parseBody } from '../schemas';
import { toListEntry } from '../views';
import { inboxOf } from './common';

interface ListRef {
	scope: string;
	direction: Direction;
	listType: ListType;
}

function listOf(ctx: RequestContext): ListRef {
	const scope = ctx.params.inbox_id !== undefined ? inboxOf(ctx).inbox_id : ORG_SCOPE;
	const { direction, type } = ctx.params;
	if (!DIRECTIONS.includes(direction as Direction)) {
		throw invalidField(['direction'], `direction must be one of ${DIRECTIONS.join(', ')}, got "${direction}"`);
	}
	if (!LIST_TYPES.includes(type as ListType)) {
		throw invalidField(['type'], `type must be one of ${LIST_TYPES.join(', ')}, got "${type}"`);
	}
	return { scope, direction: direction as Direction, listType: type as ListType };
}

function entryOf(ctx: RequestContext): ListEntryRecord {
	const list = listOf(ctx);
	const entry = ctx.app.store.getListEntry(list.scope, list.direction, list.listType, ctx.params.entry.trim().toLowerCase());
	if (!entry) {
		throw notFound('List entry', `GET ${collectionPath(list.scope, list.direction, list.listType)} lists the entries.`);
	}
	return entry;
}

function view(ctx: RequestContext) {
	const { organizationId, podId } = ctx.app.store;
	return (entry: ListEntryRecord) => toListEntry(entry, organizationId, podId);
}

function listEntries(ctx: RequestContext) {
	const list = listOf(ctx);
	const page = paginate({
		items: ctx.app.store.listEntriesOf(list.scope, list.direction, list.listType),
		keyOf: (entry) => entry.entry,
		descending: false,
		query: ctx.query,
		binding: `lists:${list.scope}:${list.direction}:${list.listType}`,
	});
	return ok(pageBody('entries', page, view(ctx)));
}

/** Creating an entry that exists returns the stored entry unchanged (200). */
function createEntry(ctx: RequestContext) {
	const list = listOf(ctx);
	const input = parseBody(createListEntrySchema, ctx.body);
	const { entry, entry_type } = classifyEntry(input.entry);
	const store = ctx.app.store;
	const existing = store.getListEntry(list.scope, list.direction, list.listType, entry);
	if (existing) return ok(view(ctx)(existing));
	const record: ListEntryRecord = {
		scope: list.scope,
		entry,
		direction: list.direction,
		list_type: list.listType,
		entry_type,
		created_at: nowIso(),
	};
	if (input.reason !== undefined) record.reason = input.reason;
	store.putListEntry(record);
	return ok(view(ctx)(record));
}

export const listRoutes: Route[] = ['/v0/lists/:direction/:type', '/v0/inboxes/:inbox_id/lists/:direction/:type'].flatMap(
	(base): Route[] => [
		{ method: 'GET', pattern: base, handler: listEntries },
		{ method: 'POST', pattern: base, handler: createEntry },
		{ method: 'GET', pattern: `${base}/:entry`, handler: (ctx) => ok(view(ctx)(entryOf(ctx))) },
		{
			method: 'DELETE',
			pattern: `${base}/:entry`,
			handler: (ctx) => {
				ctx.app.store.deleteListEntry(entryOf(ctx));
				return noContent();
			},
		},
	],
);
