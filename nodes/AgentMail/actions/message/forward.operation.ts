import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { inboxId, messageId } from '../../../shared/params';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { composeBody, composeOptions, composeProperties } from '../compose';

const [to, subject, text] = composeProperties('Recipients, comma-separated (at most 50 across To, CC and BCC)', {
	toRequired: true,
});

const properties: INodeProperties[] = [
	inboxLocator,
	{ ...messageIdField, description: 'The message to forward, angle brackets included' },
	to,
	{ ...subject, description: 'Left empty: "Fwd: " and the forwarded message\'s subject' },
	{ ...text, description: 'Plain text above the forwarded message' },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: composeOptions('Labels for the sent message, comma-separated'),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['forward'] } },
	properties,
);

/**
 * Forwards a message now: AgentMail appends the original (body and
 * attachments) below the given text. Safe to retry: it carries an Idempotency-Key.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = inboxId(this, itemIndex);
	const source = messageId(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = await composeBody(this, itemIndex, fields, { toRequired: true });
	const sent = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'messages', source, 'forward'),
		body,
		idempotencyKey: idempotencyKey(this, itemIndex, 'message-forward'),
		itemIndex,
	});
	return { message_id: sent.message_id, thread_id: sent.thread_id, result: sent };
}
