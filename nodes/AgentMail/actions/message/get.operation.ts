import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { booleanValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, validId } from '../../../shared/transport';
import { attachmentIds, downloadAll } from '../attachments';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { inboxId, messageId } from '../../../shared/params';
import { BinaryOutput } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['get'] } },
	[
		inboxLocator,
		messageIdField,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Download Attachments',
					name: 'downloadAttachments',
					type: 'boolean',
					default: false,
					description:
						'Whether to also download every attachment into binary properties attachment_0, attachment_1, … (file name and MIME type as sent)',
				},
			],
		},
	],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | BinaryOutput> {
	const node = this.getNode();
	const inbox = inboxId(this, itemIndex);
	const id = messageId(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const download = booleanValue(node, 'Download Attachments', options.downloadAttachments, itemIndex);
	const message = await agentMailRequest<IDataObject>(this, {
		method: 'GET',
		path: apiPath('inboxes', inbox, 'messages', id),
		itemIndex,
	});
	const json: IDataObject = { message_id: message.message_id, thread_id: message.thread_id, result: message };
	if (!download) return json;
	const { binary, attachments } = await downloadAll(this, itemIndex, attachmentIds(message), (attachmentId) =>
		apiPath('inboxes', inbox, 'messages', id, 'attachments', validId(node, 'Attachment ID', attachmentId, itemIndex)),
	);
	return new BinaryOutput({ ...json, attachments }, binary);
}
