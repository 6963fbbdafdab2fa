import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { labelChanges } from '../../../shared/helpers/labels';
import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { inboxId, messageId } from '../../../shared/params';

const properties: INodeProperties[] = [
	inboxLocator,
	messageIdField,
	{
		displayName: 'Labels to Add',
		name: 'addLabels',
		type: 'string',
		default: '',
		placeholder: 'escalated, needs-human',
		description: 'Comma-separated',
	},
	{
		displayName: 'Labels to Remove',
		name: 'removeLabels',
		type: 'string',
		default: '',
		placeholder: 'unread',
		description: 'Comma-separated. System labels such as sent or received cannot be changed.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['label'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = labelChanges(
		this.getNode(),
		itemIndex,
		{ field: 'Labels to Add', value: this.getNodeParameter('addLabels', itemIndex, '') },
		{ field: 'Labels to Remove', value: this.getNodeParameter('removeLabels', itemIndex, '') },
	);
	if (!body.add_labels && !body.remove_labels) {
		throw new NodeOperationError(this.getNode(), 'Labels to Add or Labels to Remove: give at least one label', {
			itemIndex,
		});
	}
	const updated = await agentMailRequest<IDataObject>(this, {
		method: 'PATCH',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'messages', messageId(this, itemIndex)),
		body,
		itemIndex,
	});
	return { message_id: updated.message_id, labels: updated.labels, result: updated };
}
