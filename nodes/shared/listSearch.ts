import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { apiPath, configureSession, fetchPage, MAX_PAGE_SIZE, validId } from './transport';

/** Pages read per search call while a filter finds too few matches. */
const MAX_PAGES_PER_CALL = 10;

/** Someone is looking at the dropdown: rate-limited pages are retried for seconds, not minutes. */
const SEARCH_RETRY_BUDGET_MS = 10_000;

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

/**
 * Reads AgentMail pages from `paginationToken` on, keeping the items that
 * match the filter (AgentMail lists have no text search), until a page's worth
 * of matches or the end. n8n asks again with the returned token when the user
 * scrolls, so lists of any length can be browsed.
 */
async function searchPages(
	ctx: ILoadOptionsFunctions,
	path: string,
	itemsKey: string,
	toItem: (item: IDataObject) => INodeListSearchItems,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	configureSession(ctx, { retryBudgetMs: SEARCH_RETRY_BUDGET_MS });
	const results: INodeListSearchItems[] = [];
	let token = paginationToken || undefined;
	for (let pages = 0; pages < MAX_PAGES_PER_CALL; pages++) {
		const page = await fetchPage(ctx, { path, itemsKey, qs: { limit: MAX_PAGE_SIZE, page_token: token } });
		for (const item of page.items) {
			const entry = toItem(item);
			if (matches(filter, entry.name, entry.value)) results.push(entry);
		}
		token = page.nextPageToken;
		if (!token || results.length >= MAX_PAGE_SIZE) break;
	}
	return { results, paginationToken: token };
}

export async function searchInboxes(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPages(
		this,
		apiPath('inboxes'),
		'inboxes',
		(inbox) => ({
			name: inbox.display_name ? `${inbox.display_name} <${inbox.inbox_id}>` : String(inbox.inbox_id),
			value: String(inbox.inbox_id),
		}),
		filter,
		paginationToken,
	);
}

export async function searchDrafts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const inbox = this.getCurrentNodeParameter('inboxId', { extractValue: true });
	if (!inbox) return { results: [] };
	return await searchPages(
		this,
		apiPath('inboxes', validId(this.getNode(), 'Inbox', inbox), 'drafts'),
		'drafts',
		(draft) => {
			const to = Array.isArray(draft.to) ? draft.to.join(', ') : '';
			const subject = draft.subject ? String(draft.subject) : '(no subject)';
			return { name: to ? `${subject} → ${to}` : subject, value: String(draft.draft_id) };
		},
		filter,
		paginationToken,
	);
}

export async function searchThreads(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const inbox = this.getCurrentNodeParameter('inboxId', { extractValue: true });
	if (!inbox) return { results: [] };
	return await searchPages(
		this,
		apiPath('inboxes', validId(this.getNode(), 'Inbox', inbox), 'threads'),
		'threads',
		(thread) => {
			const subject = thread.subject ? String(thread.subject) : '(no subject)';
			const senders = Array.isArray(thread.senders) ? thread.senders.join(', ') : '';
			const count = typeof thread.message_count === 'number' ? ` (${thread.message_count})` : '';
			return { name: `${subject}${count}${senders ? ` · ${senders}` : ''}`, value: String(thread.thread_id) };
		},
		filter,
		paginationToken,
	);
}
