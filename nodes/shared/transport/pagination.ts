import type { IDataObject } from 'n8n-workflow';

import { agentMailRequest, type AgentMailContext } from './request';

/** AgentMail's largest page. */
export const MAX_PAGE_SIZE = 100;

export interface Page {
	items: IDataObject[];
	count: number;
	nextPageToken?: string;
	body: IDataObject;
}

export interface PageQuery {
	path: string;
	/** Key of the array in the response: `drafts`, `messages`, `entries`, `inboxes`. */
	itemsKey: string;
	qs?: IDataObject;
	itemIndex?: number;
}

/** One page, as AgentMail returns it. */
export async function fetchPage(ctx: AgentMailContext, query: PageQuery): Promise<Page> {
	const body = await agentMailRequest<IDataObject>(ctx, {
		method: 'GET',
		path: query.path,
		qs: query.qs,
		itemIndex: query.itemIndex,
	});
	const items = Array.isArray(body[query.itemsKey]) ? (body[query.itemsKey] as IDataObject[]) : [];
	const token = body.next_page_token;
	return {
		items,
		count: typeof body.count === 'number' ? body.count : items.length,
		nextPageToken: typeof token === 'string' && token ? token : undefined,
		body,
	};
}

/**
 * Follows `next_page_token` until the end or until `limit` items are in hand
 * (`limit` undefined = Return All), yielding each page's items as it arrives,
 * so a caller that turns them into output right away holds no page longer
 * than it needs to. Pages are at most 100 items.
 */
export async function* fetchPages(
	ctx: AgentMailContext,
	query: PageQuery,
	limit?: number,
): AsyncGenerator<IDataObject[]> {
	let seen = 0;
	let pageToken: string | undefined;
	do {
		const wanted = limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - seen);
		const page = await fetchPage(ctx, {
			...query,
			qs: { ...query.qs, limit: wanted, page_token: pageToken },
		});
		const items = limit === undefined ? page.items : page.items.slice(0, limit - seen);
		seen += items.length;
		pageToken = page.nextPageToken;
		yield items;
	} while (pageToken && (limit === undefined || seen < limit));
}

/** fetchPages() collected into one array, for the short lists (allow lists) that are needed whole. */
export async function fetchAll(
	ctx: AgentMailContext,
	query: PageQuery,
	limit?: number,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	for await (const items of fetchPages(ctx, query, limit)) {
		for (const item of items) collected.push(item);
	}
	return collected;
}
