import type { IBinaryKeyData, IDataObject, INodeExecutionData, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import { agentMailRequest, apiPath, downloadUrl, validId } from '../../shared/transport';
import { isReceived } from './events';

export interface EnrichOptions {
	/** GET the message when the event left its text and HTML out (payloads over 1 MB). */
	fetchFullMessage: boolean;
	/** Put the message's attachments into binary properties `${prefix}0`, `${prefix}1`, ... */
	downloadAttachments: boolean;
	binaryPrefix: string;
}

export function readEnrichOptions(options: IDataObject): EnrichOptions {
	const prefix = typeof options.attachmentPrefix === 'string' && options.attachmentPrefix.trim() ? options.attachmentPrefix.trim() : 'attachment_';
	return {
		fetchFullMessage: options.fetchFullMessage === true,
		downloadAttachments: options.downloadAttachments === true,
		binaryPrefix: prefix,
	};
}

const needsWork = (options: EnrichOptions, item: IDataObject): boolean =>
	(options.fetchFullMessage || options.downloadAttachments) &&
	isReceived(String(item.event_type)) &&
	!!item.message &&
	typeof item.message === 'object';

/**
 * AgentMail leaves `text` and `html` out of events over 1 MB (AGENTMAIL_API.md
 * §6.3): both missing means the message may have been cut, so it is fetched.
 */
const wasCut = (message: IDataObject): boolean => message.text === undefined && message.html === undefined;

/**
 * The output item of a received-mail event with what the options ask for: the
 * full message from `GET /v0/inboxes/{inbox}/messages/{message}` and each
 * attachment as n8n binary data (its `AttachmentResponse` gives a presigned
 * download URL; AGENTMAIL_API.md §3.1, §3.3) with file name and MIME type.
 * A failure does not drop the event, which AgentMail will not send again once
 * answered: the item starts the workflow with what it has plus `error`.
 */
export async function enrichItem(
	ctx: IWebhookFunctions | ITriggerFunctions,
	options: EnrichOptions,
	json: IDataObject,
): Promise<INodeExecutionData> {
	if (!needsWork(options, json)) return { json };
	const node = ctx.getNode();
	let message = json.message as IDataObject;
	const binary: IBinaryKeyData = {};
	try {
		const inboxId = validId(node, 'inbox_id of the event', message.inbox_id);
		const messageId = validId(node, 'message_id of the event', message.message_id);
		if (options.fetchFullMessage && wasCut(message)) {
			message = await agentMailRequest<IDataObject>(ctx, { method: 'GET', path: apiPath('inboxes', inboxId, 'messages', messageId) });
			json = { ...json, message };
		}
		if (options.downloadAttachments) {
			const attachments = Array.isArray(message.attachments) ? (message.attachments as IDataObject[]) : [];
			for (const [index, attachment] of attachments.entries()) {
				const attachmentId = validId(node, `attachment_id of attachment ${index + 1}`, attachment.attachment_id);
				const link = await agentMailRequest<IDataObject>(ctx, {
					method: 'GET',
					path: apiPath('inboxes', inboxId, 'messages', messageId, 'attachments', attachmentId),
				});
				const fileName = String(link.filename ?? attachment.filename ?? attachmentId);
				const download = await downloadUrl(ctx, link.download_url);
				const mimeType = String(link.content_type ?? attachment.content_type ?? download.contentType ?? 'application/octet-stream');
				binary[`${options.binaryPrefix}${index}`] = await ctx.helpers.prepareBinaryData(download.stream, fileName, mimeType);
			}
		}
	} catch (error) {
		return { json: { ...json, error: (error as Error).message }, ...(Object.keys(binary).length ? { binary } : {}) };
	}
	return Object.keys(binary).length ? { json, binary } : { json };
}
