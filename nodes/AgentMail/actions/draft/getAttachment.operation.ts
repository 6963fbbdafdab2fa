import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { draftId, inboxId } from '../../../shared/params';
import { draftLocator, inboxLocator } from '../common.descriptions';
import { attachmentSelection, getAttachments } from '../getAttachment';
import type { BinaryOutput } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['getAttachment'] } },
	[inboxLocator, draftLocator, ...attachmentSelection],
);

/** A draft's attachment(s) as n8n binary data, with file name and MIME type as attached. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryOutput> {
	const inbox = inboxId(this, itemIndex);
	const draft = draftId(this, itemIndex);
	return await getAttachments(this, itemIndex, ['inboxes', inbox, 'drafts', draft], { draft_id: draft });
}
