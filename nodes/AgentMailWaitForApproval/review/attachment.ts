import {
	NodeOperationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { agentMailRequest, downloadUrl, failureOf, validId, type Download } from '../../shared/transport';
import { draftPath } from './decide';
import { attachmentsOf } from './format';
import { renderMessagePage, type DraftView } from './page';
import { sendPage } from './send';
import type { ApprovalState } from './types';

/** The query parameters of a download link: which draft, which of its attachments. */
export const DRAFT_PARAM = 'draft';
export const ATTACHMENT_PARAM = 'attachment';

/**
 * Gives every attachment of the drafts on the page its download link: the
 * review link signed by n8n for exactly this draft and attachment (n8n's
 * HMAC covers the query, so a link cannot be edited into another one).
 */
export function addAttachmentLinks(ctx: IWebhookFunctions, views: DraftView[]): void {
	for (const view of views) {
		const urls: Record<string, string> = {};
		for (const attachment of attachmentsOf(view.draft)) {
			const id = attachment.attachment_id;
			if (typeof id !== 'string' || id === '') continue;
			try {
				urls[id] = ctx.getSignedResumeUrl({ [DRAFT_PARAM]: view.entry.draftId, [ATTACHMENT_PARAM]: id });
			} catch {
				// No signed link outside a waiting execution: the name is shown without one.
			}
		}
		view.attachmentUrls = urls;
	}
}

export interface AttachmentRequest {
	draftId: unknown;
	attachmentId: unknown;
}

/** The attachment a GET asks for, if it asks for one. */
export function requestedAttachment(ctx: IWebhookFunctions): AttachmentRequest | undefined {
	const query = (ctx.getQueryData() ?? {}) as IDataObject;
	if (query[ATTACHMENT_PARAM] === undefined) return undefined;
	return { draftId: query[DRAFT_PARAM], attachmentId: query[ATTACHMENT_PARAM] };
}

/** A MIME type as it may go into a header; anything else is served as bytes. */
function safeContentType(value: unknown): string {
	const type = typeof value === 'string' ? value.split(';')[0].trim() : '';
	return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i.test(type)
		? type.toLowerCase()
		: 'application/octet-stream';
}

/**
 * `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266): the name
 * without control characters, quotes, backslashes or path separators, an
 * ASCII fallback for old clients and the exact name UTF-8 encoded.
 */
export function contentDisposition(name: unknown): string {
	const clean =
		String(name ?? '')
			.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '')
			.replace(/["\\/]/g, '_')
			.trim()
			.slice(0, 200) || 'attachment';
	const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
	const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers of a download: never rendered by the browser, never sniffed, never cached. */
function downloadHeaders(attachment: IDataObject): Record<string, string> {
	return {
		'Content-Type': safeContentType(attachment.content_type),
		'Content-Disposition': contentDisposition(attachment.filename ?? attachment.attachment_id),
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy': "default-src 'none'; sandbox",
		'Referrer-Policy': 'no-referrer',
		'Cache-Control': 'no-store',
		'X-Robots-Tag': 'noindex, nofollow',
	};
}

/** Streams the file to the reviewer as it arrives (a large attachment is never held in memory). */
async function streamTo(ctx: IWebhookFunctions, file: Download, headers: Record<string, string>): Promise<void> {
	const res = ctx.getResponseObject();
	res.status(200);
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	await new Promise<void>((resolve) => {
		res.once('finish', () => resolve());
		res.once('close', () => resolve());
		file.stream.once('error', (error: Error) => {
			ctx.logger.warn(`AgentMail Wait for Approval: attachment download broke off: ${error.message}`);
			if (typeof res.destroy === 'function') res.destroy();
			resolve();
		});
		file.stream.pipe(res);
	});
}

/**
 * GET with `?attachment=`: one attachment of a draft under review, as a
 * download. Like every GET it decides nothing: it reads the attachment
 * (AgentMail checks that it belongs to the draft) and fetches its file from
 * AgentMail's presigned link. Every failure before the file starts is a
 * page, never a thrown error (which would fail the waiting execution).
 */
export async function serveAttachment(
	ctx: IWebhookFunctions,
	state: ApprovalState,
	request: AttachmentRequest,
): Promise<IWebhookResponseData> {
	const notFound = (message: string) => sendPage(ctx, 404, renderMessagePage('Attachment not found', message));
	if (Date.now() >= Date.parse(state.settings.expiresAt)) {
		return sendPage(ctx, 410, renderMessagePage('Approval expired', `This approval request expired at ${state.settings.expiresAt}.`));
	}
	const pending = state.entries.filter((entry) => !entry.decided);
	const entry =
		request.draftId === undefined && pending.length === 1
			? pending[0]
			: pending.find((candidate) => candidate.draftId === request.draftId);
	if (!entry) return notFound('This review has no such draft.');
	try {
		const attachmentId = validId(ctx.getNode(), 'Attachment', request.attachmentId);
		const attachment = await agentMailRequest<IDataObject>(ctx, {
			method: 'GET',
			path: draftPath(ctx, entry, 'attachments', attachmentId),
		});
		const file = await downloadUrl(ctx, attachment.download_url);
		await streamTo(ctx, file, downloadHeaders(attachment));
		return { noWebhookResponse: true };
	} catch (error) {
		if (error instanceof NodeOperationError) {
			return sendPage(ctx, 400, renderMessagePage('Attachment not found', 'The link names no valid attachment.'));
		}
		const failure = failureOf(error);
		if (failure.status === 404) return notFound('This attachment is no longer on the draft (it was removed, or the draft was sent or deleted).');
		ctx.logger.warn(`AgentMail Wait for Approval: attachment download failed: ${failure.error}`);
		return sendPage(
			ctx,
			502,
			renderMessagePage('Attachment not available', 'The attachment could not be fetched from AgentMail right now. Try again in a moment.', [
				failure.error,
			]),
		);
	}
}
