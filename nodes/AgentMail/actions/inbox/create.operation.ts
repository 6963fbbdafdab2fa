import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { toAsciiDomain } from '../../../shared/helpers/addresses';
import { clientIdValue } from '../../../shared/helpers/clientId';
import { textValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { displayNameField, displayNameValue, inboxOutput } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		placeholder: 'support',
		description: 'The part before the @. Left empty, AgentMail picks a random one.',
	},
	{
		displayName: 'Domain',
		name: 'domain',
		type: 'string',
		default: '',
		placeholder: 'agentmail.to',
		description: 'The part after the @: agentmail.to when left empty, or a custom domain of the organization',
	},
	displayNameField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Client ID',
				name: 'clientId',
				type: 'string',
				default: '',
				placeholder: 'tenant-42-support',
				description:
					'Creating again with the same client ID returns the first inbox instead of a new one. Left empty, one is derived per execution, node and item, so retries never create a second inbox. Letters, digits and - . _ ~ only.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inbox'], operation: ['create'] } },
	properties,
);

const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9])?$/;

/** Creates an inbox (an email address for the agent); idempotent through client_id like Create Draft. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const body: IDataObject = {};
	const username = textValue(node, 'Username', this.getNodeParameter('username', itemIndex, ''), itemIndex).trim();
	if (username) {
		if (!USERNAME.test(username) || username.includes('..')) {
			throw new NodeOperationError(node, `Username ${JSON.stringify(username.slice(0, 70))} is not a valid mailbox name`, {
				itemIndex,
				description: 'Use letters, digits and . _ + - (up to 64), starting and ending with a letter or digit.',
			});
		}
		body.username = username;
	}
	const domainText = textValue(node, 'Domain', this.getNodeParameter('domain', itemIndex, ''), itemIndex).trim();
	if (domainText) {
		const domain = toAsciiDomain(domainText);
		if (!domain) {
			throw new NodeOperationError(node, `Domain ${JSON.stringify(domainText.slice(0, 70))} is not a domain name`, {
				itemIndex,
				description: 'Give a bare domain such as example.com (no @, no scheme).',
			});
		}
		body.domain = domain.toLowerCase();
	}
	const displayName = displayNameValue(node, this.getNodeParameter('displayName', itemIndex, ''), itemIndex);
	if (displayName) body.display_name = displayName;
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	body.client_id = clientIdValue(node, fields.clientId, itemIndex) || idempotencyKey(this, itemIndex, 'inbox-create');

	const inbox = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes'),
		body,
		idempotent: true,
		itemIndex,
	});
	return inboxOutput(inbox);
}
