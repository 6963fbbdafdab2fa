import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { inboxId } from '../../../shared/params';
import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { displayNameField, displayNameValue, inboxOutput } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['inbox'], operation: ['update'] } },
	[inboxLocator, { ...displayNameField, required: true, description: 'The new sender name of the inbox' }],
);

/** Renames the inbox's sender (display name); its address cannot change. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const inbox = inboxId(this, itemIndex);
	const displayName = displayNameValue(node, this.getNodeParameter('displayName', itemIndex, ''), itemIndex);
	if (!displayName) throw new NodeOperationError(node, 'Display Name is required', { itemIndex });
	const updated = await agentMailRequest<IDataObject>(this, {
		method: 'PATCH',
		path: apiPath('inboxes', inbox),
		body: { display_name: displayName },
		itemIndex,
	});
	return inboxOutput(updated);
}
