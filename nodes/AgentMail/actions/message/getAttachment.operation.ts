import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { inboxId, messageId } from '../../../shared/params';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { attachmentSelection, getAttachments } from '../getAttachment';
import type { BinaryOutput } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getAttachment'] } },
	[inboxLocator, { ...messageIdField, description: 'The message holding the attachment, angle brackets included' }, ...attachmentSelection],
);

/** A message's attachment(s) as n8n binary data, with file name and MIME type as sent. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<BinaryOutput> {
	const inbox = inboxId(this, itemIndex);
	const message = messageId(this, itemIndex);
	return await getAttachments(this, itemIndex, ['inboxes', inbox, 'messages', message], { message_id: message });
}
