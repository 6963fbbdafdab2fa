import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { labelChanges } from '../../../shared/helpers/labels';
import { inboxId, threadId } from '../../../shared/params';
import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator, threadLocator } from '../common.descriptions';

const properties: INodeProperties[] = [
	inboxLocator,
	threadLocator,
	{
		displayName: 'Labels to Add',
		name: 'addLabels',
		type: 'string',
		default: '',
		placeholder: 'escalated, needs-human',
		description: 'Comma-separated. Added to every message of the thread.',
	},
	{
		displayName: 'Labels to Remove',
		name: 'removeLabels',
		type: 'string',
		default: '',
		placeholder: 'unread',
		description:
			'Comma-separated. Removed from every message of the thread; a label in both lists ends up removed. System labels such as sent or received cannot be changed.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['updateLabels'] } },
	properties,
);

/** Adds and removes labels on a whole conversation (AgentMail refuses threads of 100+ messages with 422). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = inboxId(this, itemIndex);
	const thread = threadId(this, itemIndex);
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
		path: apiPath('inboxes', inbox, 'threads', thread),
		body,
		itemIndex,
	});
	return { thread_id: updated.thread_id, inbox_id: inbox, labels: updated.labels, result: updated };
}
