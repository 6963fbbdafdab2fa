/**
 * Cursor pagination (AGENTMAIL_API.md §8): `limit` + `page_token` in,
 * `count`, `limit`, `next_page_token` (omitted on the last page) out.
 *
 * A token holds the sort key of the last item returned, so a page stays
 * correct when earlier items are deleted meanwhile (e.g. drafts being sent),
 * plus a hash of the query it belongs to. Anything else is a 400.
 */
import { createHash } from 'node:crypto';
import { invalidField } from './errors';
import type { Query } from './query';

export const DEFAULT_LIMIT = 100;

export interface PageRequest<T> {
	items: T[];
	/** Unique sort key per item, compared as strings (ISO timestamps sort correctly). */
	keyOf: (item: T) => string;
	descending: boolean;
	query: Query;
	/** What the token is bound to, e.g. route + scope. */
	binding: string;
	maxLimit?: number;
}

export interface Page<T> {
	count: number;
	limit: number;
	next_page_token?: string;
	items: T[];
}

function bindingHash(binding: string): string {
	return createHash('sha256').update(binding).digest('base64url').slice(0, 16);
}

function badToken(): Error {
	return invalidField(['page_token'], 'invalid page_token', 'Restart the listing without page_token.');
}

function decodeToken(token: string, hash: string): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
	} catch {
		throw badToken();
	}
	const record = parsed as { k?: unknown; h?: unknown } | null;
	if (!record || typeof record.k !== 'string' || record.h !== hash) throw badToken();
	return record.k;
}

export function paginate<T>(request: PageRequest<T>): Page<T> {
	const { keyOf, descending, query } = request;
	const items = [...request.items].sort((a, b) => compare(keyOf(a), keyOf(b)) * (descending ? -1 : 1));
	const requested = query.int('limit') ?? DEFAULT_LIMIT;
	const limit = request.maxLimit ? Math.min(requested, request.maxLimit) : requested;
	const hash = bindingHash(request.binding + '?' + query.canonicalFilters());
	const token = query.string('page_token');
	let start = 0;
	if (token !== undefined && token !== '') {
		const after = decodeToken(token, hash);
		start = items.findIndex((item) => (descending ? keyOf(item) < after : keyOf(item) > after));
		if (start < 0) start = items.length;
	}
	const page = items.slice(start, start + limit);
	const result: Page<T> = { count: page.length, limit, items: page };
	if (start + limit < items.length && page.length > 0) {
		const k = keyOf(page[page.length - 1]);
		result.next_page_token = Buffer.from(JSON.stringify({ k, h: hash })).toString('base64url');
	}
	return result;
}

/** `{ count, limit, next_page_token?, [name]: items }` as the list endpoints answer. */
export function pageBody<T, U>(name: string, page: Page<T>, view: (item: T) => U): Record<string, unknown> {
	const body: Record<string, unknown> = { count: page.count, limit: page.limit };
	if (page.next_page_token !== undefined) body.next_page_token = page.next_page_token;
	body[name] = page.items.map(view);
	return body;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
