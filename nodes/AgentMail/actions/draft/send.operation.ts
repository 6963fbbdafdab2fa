import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { labelChanges } from '../../../shared/helpers/labels';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { draftLocator, inboxLocator } from '../common.descriptions';
import { draftId, inboxId } from '../../../shared/params';

const properties: INodeProperties[] = [
	inboxLocator,
	draftLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Add Labels',
				name: 'addLabels',
				type: 'string',
				default: '',
				description: 'Labels to put on the sent message, comma-separated',
			},
			{
				displayName: 'Remove Labels',
				name: 'removeLabels',
				type: 'string',
				default: '',
				description: 'Labels to take off the sent message, comma-separated',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['send'] } },
	properties,
);

/** Sends the draft now (AgentMail then deletes it); safe to retry: it carries an Idempotency-Key. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const draft = draftId(this, itemIndex);
	const body: IDataObject = labelChanges(
		this.getNode(),
		itemIndex,
		{ field: 'Add Labels', value: options.addLabels },
		{ field: 'Remove Labels', value: options.removeLabels },
	);
	const sent = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'drafts', draft, 'send'),
		body,
		idempotencyKey: idempotencyKey(this, itemIndex, 'draft-send'),
		itemIndex,
	});
	return {
		message_id: sent.message_id,
		thread_id: sent.thread_id,
		draft_id: draft,
		result: sent,
	};
}
