import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { inboxId, threadId } from '../../../shared/params';
import { agentMailRequest, apiPath, MAX_PAGE_SIZE } from '../../../shared/transport';
import { inboxLocator, threadLocator } from '../common.descriptions';
import { threadOutput } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['get'] } },
	[inboxLocator, threadLocator],
);

/** Thread get pages its messages; a thread this long is unusual, and each page is a request. */
const MAX_MESSAGE_PAGES = 100;

/**
 * The thread with all its messages, oldest first. AgentMail pages a thread's
 * messages (the first page holds the newest, `next_page_token` leads to
 * older ones), so the pages are read until the end and put in order; the
 * result is the Thread object with every message and without the paging fields.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const path = apiPath('inboxes', inboxId(this, itemIndex), 'threads', threadId(this, itemIndex));
	const pages: IDataObject[][] = [];
	let first: IDataObject | undefined;
	let pageToken: string | undefined;
	do {
		const page = await agentMailRequest<IDataObject>(this, {
			method: 'GET',
			path,
			qs: { limit: MAX_PAGE_SIZE, page_token: pageToken },
			itemIndex,
		});
		first ??= page;
		pages.push(Array.isArray(page.messages) ? (page.messages as IDataObject[]) : []);
		const token = page.next_page_token;
		pageToken = typeof token === 'string' && token ? token : undefined;
	} while (pageToken && pages.length < MAX_MESSAGE_PAGES);
	// Newer pages came first: older pages go in front.
	const messages = pages.reverse().flat();
	const { count: _count, limit: _limit, next_page_token: _next, ...thread } = first as IDataObject;
	return threadOutput(thread, { ...thread, messages });
}
