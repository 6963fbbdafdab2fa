/** Attachments: stored with their base64 content, reported as `Attachment`. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** Download links live an hour, as presigned storage links do. */
const DOWNLOAD_TTL_MS = 3600_000;
/** Signs download links; per process, so links do not outlive the sandbox (they expire within the hour anyway). */
const DOWNLOAD_SECRET = randomBytes(32);

const downloadSignature = (attachmentId: string, expires: number): string =>
	createHmac('sha256', DOWNLOAD_SECRET).update(`${attachmentId}\u0000${expires}`).digest('base64url');

/**
 * AttachmentResponse: `Attachment` + a download URL served by
 * `GET /_sandbox/attachments/{id}`, signed and expiring like a presigned
 * storage link (the bytes are not behind the API key).
 */
export function attachmentResponse(
	attachments: AttachmentRecord[],
	attachmentId: string,
	baseUrl: string,
): Record<string, unknown> {
	const attachment = attachments.find((a) => a.attachment_id === attachmentId);
	if (!attachment) throw notFound('Attachment');
	const expires = Date.now() + DOWNLOAD_TTL_MS;
	const query = new URLSearchParams({ expires: String(expires), signature: downloadSignature(attachmentId, expires) });
	return {
		...toAttachment(attachment),
		download_url: `${baseUrl}/_sandbox/attachments/${encodeURIComponent(attachmentId)}?${query.toString()}`,
		expires_at: new Date(expires).toISOString(),
	};
}

/**
 * Whether a download link is valid: signed by this sandbox, not expired, and
 * (as presigned storage links require) not also sent with an Authorization
 * header, so a client that leaks its API key to the storage host fails here.
 */
export function downloadRefusal(
	attachmentId: string,
	expires: string | undefined,
	signature: string | undefined,
	authorization: string | undefined,
): string | undefined {
	if (authorization !== undefined) {
		return 'Only one auth mechanism allowed: the link is presigned, so send no Authorization header';
	}
	if (!expires || !signature || !/^\d+$/.test(expires)) return 'The link is missing its expires or signature parameter';
	const expected = Buffer.from(downloadSignature(attachmentId, Number(expires)));
	const given = Buffer.from(signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'The link signature does not match';
	if (Number(expires) < Date.now()) return 'The link has expired; get the attachment again for a new download_url';
	return undefined;
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
