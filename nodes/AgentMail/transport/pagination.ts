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
 * (`limit` undefined = Return All). Pages are at most 100 items.
 */
export async function fetchAll(
	ctx: AgentMailContext,
	query: PageQuery,
	limit?: number,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	let pageToken: string | undefined;
	do {
		const wanted = limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - collected.length);
		const page = await fetchPage(ctx, {
			...query,
			qs: { ...query.qs, limit: wanted, page_token: pageToken },
		});
		collected.push(...page.items);
		pageToken = page.nextPageToken;
	} while (pageToken && (limit === undefined || collected.length < limit));
	return limit === undefined ? collected : collected.slice(0, limit);
}
