import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { booleanValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { attachmentsField, inboxLocator, messageIdField } from '../common.descriptions';
import { contentBody, textField } from '../compose';
import { inboxId, messageId } from '../../../shared/params';

const properties: INodeProperties[] = [
	inboxLocator,
	{ ...messageIdField, description: 'The message to answer, angle brackets included' },
	{
		displayName: 'Reply All',
		name: 'replyAll',
		type: 'boolean',
		default: false,
		description: 'Whether to answer everyone on the message instead of only its sender',
	},
	textField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			attachmentsField,
			{ displayName: 'HTML', name: 'html', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'HTML body' },
			{ displayName: 'Labels', name: 'labels', type: 'string', default: '', description: 'Labels for the reply, comma-separated' },
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['reply'] } },
	properties,
);

/** Answers in the message's thread (subject and recipients come from it); safe to retry. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const replyAll = booleanValue(this.getNode(), 'Reply All', this.getNodeParameter('replyAll', itemIndex, false), itemIndex);
	const body = await contentBody(this, itemIndex, fields, { requireBodyFor: 'reply' });

	const sent = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath(
			'inboxes',
			inboxId(this, itemIndex),
			'messages',
			messageId(this, itemIndex),
			replyAll ? 'reply-all' : 'reply',
		),
		body,
		idempotencyKey: idempotencyKey(this, itemIndex, 'message-reply'),
		itemIndex,
	});
	return { message_id: sent.message_id, thread_id: sent.thread_id, result: sent };
}
