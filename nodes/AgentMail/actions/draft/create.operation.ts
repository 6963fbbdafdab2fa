import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parseSendAt } from '../../helpers/sendAt';
import { textValue } from '../../helpers/values';
import { agentMailRequest, apiPath } from '../../transport';
import { inboxLocator } from '../common.descriptions';
import { composeBody, composeOptions, composeProperties } from '../compose';
import { inboxId } from '../params';

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,256}$/;

const properties: INodeProperties[] = [
	inboxLocator,
	...composeProperties('Recipients, comma-separated (not needed with In Reply To)', { toRequired: false }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...composeOptions('Labels for the draft, comma-separated'),
			{
				displayName: 'Client ID',
				name: 'clientId',
				type: 'string',
				default: '',
				placeholder: 'order-1234-reply',
				description:
					'Makes the create idempotent: creating again with the same client ID returns the first draft instead of a new one. Letters, digits and - . _ ~ only.',
			},
			{
				displayName: 'In Reply To',
				name: 'inReplyTo',
				type: 'string',
				default: '',
				placeholder: '<abc123@agentmail.to>',
				description:
					'Message ID this draft replies to. AgentMail then takes recipients, subject and threading from that message.',
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description:
					'Schedule the draft: AgentMail sends it at this time (ISO 8601 or pick a date) unless it is changed or deleted first',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const inbox = inboxId(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const inReplyTo = textValue(node, 'In Reply To', fields.inReplyTo, itemIndex, { header: true }).trim();
	const body = await composeBody(this, itemIndex, fields, { toRequired: !inReplyTo });
	if (inReplyTo) body.in_reply_to = inReplyTo;
	if (fields.sendAt) {
		body.send_at = parseSendAt(node, 'Send At', fields.sendAt, itemIndex, this.getTimezone());
	}
	const clientId = textValue(node, 'Client ID', fields.clientId, itemIndex).trim();
	if (clientId) {
		if (!CLIENT_ID.test(clientId)) {
			throw new NodeOperationError(node, 'Client ID may hold only letters, digits and - . _ ~ (1–256)', {
				itemIndex,
			});
		}
		body.client_id = clientId;
	}

	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'drafts'),
		body,
		idempotent: Boolean(clientId),
		itemIndex,
	});
	return { draft_id: draft.draft_id, send_status: draft.send_status ?? '', result: draft };
}
