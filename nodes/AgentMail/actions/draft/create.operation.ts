import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { textValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { composeBody, composeOptions, composeProperties } from '../compose';
import { clientIdField, createOptions, draftOutput, sendAtField } from './fields';
import { inboxId } from '../../../shared/params';

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
			clientIdField,
			{
				displayName: 'In Reply To',
				name: 'inReplyTo',
				type: 'string',
				default: '',
				placeholder: '<abc123@agentmail.to>',
				description:
					'Message ID this draft replies to. AgentMail then takes recipients, subject and threading from that message.',
			},
			sendAtField,
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
	Object.assign(body, createOptions(this, node, itemIndex, fields, 'draft-create'));

	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'drafts'),
		body,
		idempotent: true,
		itemIndex,
	});
	return draftOutput(draft);
}
