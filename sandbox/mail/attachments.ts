/** Attachments: stored with their base64 content, reported as `Attachment`. */
import { notFound } from '../errors';
import { newAttachmentId } from '../ids';
import type { AttachmentRecord } from '../model';
import type { SendAttachmentInput } from '../schemas';
import type { Store } from '../store';
import { toAttachment } from '../views';

export function storeAttachments(inputs: SendAttachmentInput[] | undefined): AttachmentRecord[] {
	return (inputs ?? []).map((input) => {
		const content = input.content?.replace(/\s+/g, '');
		const record: AttachmentRecord = {
			attachment_id: newAttachmentId(),
			size: content !== undefined ? Buffer.from(content, 'base64').length : 0,
		};
		if (input.filename !== undefined) record.filename = input.filename;
		if (input.content_type !== undefined) record.content_type = input.content_type;
		if (input.content_disposition !== undefined) record.content_disposition = input.content_disposition;
		if (input.content_id !== undefined) record.content_id = input.content_id;
		if (content !== undefined) record.content = content;
		if (input.url !== undefined) record.url = input.url;
		return record;
	});
}

/** Copies with fresh ids (a forward carries the source's attachments into a new message). */
export function copyAttachments(attachments: AttachmentRecord[]): AttachmentRecord[] {
	return attachments.map((attachment) => ({ ...attachment, attachment_id: newAttachmentId() }));
}

export const attachmentsSize = (attachments: AttachmentRecord[]): number =>
	attachments.reduce((sum, attachment) => sum + attachment.size, 0);

/** AttachmentResponse: `Attachment` + a download URL served by `GET /_sandbox/attachments/{id}`. */
export function attachmentResponse(
	attachments: AttachmentRecord[],
	attachmentId: string,
	baseUrl: string,
): Record<string, unknown> {
	const attachment = attachments.find((a) => a.attachment_id === attachmentId);
	if (!attachment) throw notFound('Attachment');
	return {
		...toAttachment(attachment),
		download_url: `${baseUrl}/_sandbox/attachments/${encodeURIComponent(attachmentId)}`,
		expires_at: new Date(Date.now() + 3600_000).toISOString(),
	};
}

/** Any stored attachment by id: drafts, messages, then the outbox (whose drafts are gone). */
export function findStoredAttachment(store: Store, attachmentId: string): AttachmentRecord | undefined {
	const holders = [
		...store.drafts.values(),
		...store.messages.values(),
		...store.outbox.map((record) => record.message),
	];
	for (const holder of holders) {
		const found = holder.attachments.find((a) => a.attachment_id === attachmentId);
		if (found) return found;
	}
	return undefined;
}
