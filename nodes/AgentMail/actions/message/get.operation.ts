import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { inboxId, messageId } from '../../../shared/params';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['get'] } },
	[inboxLocator, messageIdField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const message = await agentMailRequest<IDataObject>(this, {
		method: 'GET',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'messages', messageId(this, itemIndex)),
		itemIndex,
	});
	return { message_id: message.message_id, thread_id: message.thread_id, result: message };
}
