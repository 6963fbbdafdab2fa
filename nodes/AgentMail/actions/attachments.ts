import type { IBinaryData, IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest, downloadUrl } from '../../shared/transport';

/** Binary properties of "all attachments": attachment_0, attachment_1, ... in the order AgentMail lists them. */
export const ALL_ATTACHMENTS_PREFIX = 'attachment_';

/** A file name n8n keeps as it is: path separators would make it a directory (n8n keeps only the last part). */
function fileNameOf(meta: IDataObject): string {
	const name = typeof meta.filename === 'string' && meta.filename.trim() ? meta.filename : String(meta.attachment_id);
	return name.replace(/[/\\]/g, '_');
}

/** The MIME type AgentMail recorded, else what the download said, without parameters (`; charset=`). */
function mimeTypeOf(meta: IDataObject, downloaded?: string): string {
	const recorded = typeof meta.content_type === 'string' && meta.content_type ? meta.content_type : undefined;
	return (recorded ?? downloaded ?? 'application/octet-stream').split(';')[0].trim();
}

export interface DownloadedAttachment {
	/** AgentMail's AttachmentResponse (download_url, expires_at included). */
	meta: IDataObject;
	binary: IBinaryData;
}

/**
 * One attachment as n8n binary data: the AttachmentResponse at `metaPath`
 * (built with apiPath), then its presigned download_url streamed into n8n's
 * binary data store (prepareBinaryData), so the file never sits in memory as
 * base64 in the item's JSON (with n8n's filesystem or S3 binary mode it never
 * sits in memory whole at all).
 */
export async function downloadAttachment(
	ctx: IExecuteFunctions,
	itemIndex: number,
	metaPath: string,
): Promise<DownloadedAttachment> {
	const meta = await agentMailRequest<IDataObject>(ctx, { method: 'GET', path: metaPath, itemIndex });
	const file = await downloadUrl(ctx, meta.download_url, itemIndex);
	const binary = await ctx.helpers.prepareBinaryData(file.stream, fileNameOf(meta), mimeTypeOf(meta, file.contentType));
	return { meta, binary };
}

/** The attachment ids of a Message or Draft (its `attachments` summaries), in order. */
export function attachmentIds(resource: IDataObject): string[] {
	const list = Array.isArray(resource.attachments) ? (resource.attachments as IDataObject[]) : [];
	return list.map((attachment) => String(attachment.attachment_id));
}

/**
 * Every attachment of a message or draft into binary properties attachment_0,
 * attachment_1, ...; `pathOf` gives each one's AttachmentResponse path. One
 * at a time: each file is in the binary store before the next is fetched.
 */
export async function downloadAll(
	ctx: IExecuteFunctions,
	itemIndex: number,
	ids: string[],
	pathOf: (attachmentId: string) => string,
): Promise<{ binary: IBinaryKeyData; attachments: IDataObject[] }> {
	const binary: IBinaryKeyData = {};
	const attachments: IDataObject[] = [];
	for (const [index, id] of ids.entries()) {
		const { meta, binary: data } = await downloadAttachment(ctx, itemIndex, pathOf(id));
		const property = `${ALL_ATTACHMENTS_PREFIX}${index}`;
		binary[property] = data;
		attachments.push({ binary_property: property, ...summaryOf(meta), result: meta });
	}
	return { binary, attachments };
}

/** What an output item says about a downloaded attachment (the link itself is left in `result` only). */
export function summaryOf(meta: IDataObject): IDataObject {
	return {
		attachment_id: meta.attachment_id,
		filename: meta.filename ?? null,
		content_type: meta.content_type ?? null,
		size: meta.size,
	};
}
