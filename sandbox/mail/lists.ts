/** Allow/block list entries and their paths (AGENTMAIL_API.md §4.1). */
import { domainOf, isDomain, isEmail } from '../addresses';
import { invalidField } from '../errors';
import type { Direction, EntryType, ListEntryRecord, ListType } from '../model';
import { ORG_SCOPE } from '../model';
import type { Store } from '../store';

export const DIRECTIONS: readonly Direction[] = ['send', 'receive', 'reply'];
export const LIST_TYPES: readonly ListType[] = ['allow', 'block'];

/** `/v0/lists/{direction}/{type}` or `/v0/inboxes/{inbox_id}/lists/{direction}/{type}`, percent-encoded. */
export function collectionPath(scope: string, direction: Direction, listType: ListType): string {
	const prefix = scope === ORG_SCOPE ? '/v0' : `/v0/inboxes/${encodeURIComponent(scope)}`;
	return `${prefix}/lists/${direction}/${listType}`;
}

export function entryPath(entry: ListEntryRecord): string {
	return `${collectionPath(entry.scope, entry.direction, entry.list_type)}/${encodeURIComponent(entry.entry)}`;
}

export function describeScope(scope: string): string {
	return scope === ORG_SCOPE ? 'the organization' : `inbox ${scope}`;
}

/** A list entry is a full email address or a bare domain; the server sets entry_type. */
export function classifyEntry(raw: string): { entry: string; entry_type: EntryType } {
	const entry = raw.trim().toLowerCase();
	if (isEmail(entry)) return { entry, entry_type: 'email' };
	if (isDomain(entry)) return { entry, entry_type: 'domain' };
	throw invalidField(
		['entry'],
		`"${raw}" is neither an email address nor a bare domain`,
		'Use a full address like user@example.com or a domain like example.com (no "@", scheme or path).',
	);
}

/** The entry of one list that matches `email`: the address itself first, then its domain. */
export function matchingEntry(
	store: Store,
	scope: string,
	direction: Direction,
	listType: ListType,
	email: string,
): ListEntryRecord | undefined {
	return (
		store.getListEntry(scope, direction, listType, email) ??
		store.getListEntry(scope, direction, listType, domainOf(email))
	);
}
