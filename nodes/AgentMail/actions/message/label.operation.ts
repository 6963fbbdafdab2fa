import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parseLabels } from '../../helpers/labels';
import { agentMailRequest, apiPath } from '../../transport';
import { inboxLocator, messageIdField } from '../common.descriptions';
import { inboxId, messageId } from '../params';

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
	const node = this.getNode();
	const addLabels = parseLabels(node, 'Labels to Add', this.getNodeParameter('addLabels', itemIndex, ''), itemIndex);
	const removeLabels = parseLabels(
		node,
		'Labels to Remove',
		this.getNodeParameter('removeLabels', itemIndex, ''),
		itemIndex,
	);
	if (!addLabels.length && !removeLabels.length) {
		throw new NodeOperationError(node, 'Labels to Add or Labels to Remove: give at least one label', {
			itemIndex,
		});
	}
	const body: IDataObject = {};
	if (addLabels.length) body.add_labels = addLabels;
	if (removeLabels.length) body.remove_labels = removeLabels;
	const updated = await agentMailRequest<IDataObject>(this, {
		method: 'PATCH',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'messages', messageId(this, itemIndex)),
		body,
		itemIndex,
	});
	return { message_id: updated.message_id, labels: updated.labels, result: updated };
}
