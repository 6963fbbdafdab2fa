import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parseLabels } from '../../shared/helpers/labels';
import { parseSendAt } from '../../shared/helpers/sendAt';
import { booleanValue, limitValue, textValue } from '../../shared/helpers/values';
import { fetchPage, fetchPages, MAX_PAGE_SIZE } from '../../shared/transport';

interface ListTarget {
	path: string;
	/** `drafts`, `messages` or `threads`: the array in AgentMail's list response. */
	itemsKey: string;
	/** Output item per listed item (default: the item as AgentMail lists it). */
	toItem?: (item: IDataObject) => IDataObject;
	/** Filters an operation adds to the shared ones (e.g. include_spam). */
	extraQs?: IDataObject;
}

async function* mapPages(
	pages: AsyncIterable<IDataObject[]>,
	toItem: (item: IDataObject) => IDataObject,
): AsyncGenerator<IDataObject[]> {
	for await (const page of pages) yield page.map(toItem);
}

function isoOrUndefined(ctx: IExecuteFunctions, field: string, value: unknown, itemIndex: number) {
	if (value === undefined || value === null || value === '') return undefined;
	// before/after may lie in the past: parse with "now" at the epoch so only the format is checked.
	return parseSendAt(ctx.getNode(), field, value, itemIndex, ctx.getTimezone(), new Date(0));
}

/** Return All and Limit, read as n8n reads them: a Limit is a whole number from 1 to 100. */
export function pageLimit(ctx: IExecuteFunctions, itemIndex: number): { limit?: number } {
	const node = ctx.getNode();
	const returnAll = booleanValue(node, 'Return All', ctx.getNodeParameter('returnAll', itemIndex, false), itemIndex);
	if (returnAll) return {};
	return { limit: limitValue(node, 'Limit', ctx.getNodeParameter('limit', itemIndex, 50), itemIndex, MAX_PAGE_SIZE) };
}

/**
 * The list operations of drafts, org drafts and messages: Return All / Limit,
 * the shared filters, and "Output a single item" with manual paging.
 */
export async function listWithFilters(
	ctx: IExecuteFunctions,
	itemIndex: number,
	target: ListTarget,
): Promise<IDataObject[] | AsyncIterable<IDataObject[]>> {
	const node = ctx.getNode();
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		labels: parseLabels(node, 'Labels', filters.labels, itemIndex),
		before: isoOrUndefined(ctx, 'Before', filters.before, itemIndex),
		after: isoOrUndefined(ctx, 'After', filters.after, itemIndex),
		ascending: booleanValue(node, 'Ascending', filters.ascending, itemIndex) ? true : undefined,
		...target.extraQs,
	};
	const { limit } = pageLimit(ctx, itemIndex);
	const query = { path: target.path, itemsKey: target.itemsKey, qs, itemIndex };

	if (booleanValue(node, 'Output a Single Item', options.singleItem, itemIndex)) {
		const cursor = textValue(node, 'Page Cursor', options.pageCursor, itemIndex).trim();
		const page = await fetchPage(ctx, {
			...query,
			qs: { ...qs, limit: limit ?? MAX_PAGE_SIZE, page_token: cursor || undefined },
		});
		return [
			{
				[target.itemsKey]: page.items,
				count: page.count,
				next_page_token: page.nextPageToken ?? null,
			},
		];
	}
	// Page by page: the router turns each page into output items as it arrives.
	const pages = fetchPages(ctx, query, limit);
	return target.toItem ? mapPages(pages, target.toItem) : pages;
}
