import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { PAGE_SECURITY_HEADERS } from './html';

/** Answers the webhook request with one of the review pages, under the page's security headers. */
export function sendPage(ctx: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status);
	for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) res.setHeader(name, value);
	res.send(html);
	return { noWebhookResponse: true };
}
