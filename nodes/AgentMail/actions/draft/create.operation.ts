import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parseSendAt } from '../../../shared/helpers/sendAt';
import { textValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { composeBody, composeOptions, composeProperties } from '../compose';
import { inboxId } from '../../../shared/params';

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
					'Creating again with the same client ID returns the first draft instead of a new one. Left empty, one is derived per execution, node and item, so retries never create a second draft. Letters, digits and - . _ ~ only.',
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
	}
	// Without an explicit Client ID, one derived per execution, node, run and
	// item (like the Idempotency-Key of sends; [A-Za-z0-9-], within
	// AgentMail's client_id charset): a retry after a 5xx or a dropped
	// connection, by the transport or by n8n's Retry On Fail, then returns
	// the draft the first attempt created instead of scheduling a second one.
	body.client_id = clientId || idempotencyKey(this, itemIndex, 'draft-create');

	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'drafts'),
		body,
		idempotent: true,
		itemIndex,
	});
	return { draft_id: draft.draft_id, send_status: draft.send_status ?? '', result: draft };
}
