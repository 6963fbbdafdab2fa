import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { agentMailRequest, apiPath } from '../../transport';
import { draftLocator, inboxLocator } from '../common.descriptions';
import { draftId, inboxId } from '../params';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['delete'] } },
	[inboxLocator, draftLocator],
);

/** Deleting a scheduled draft also cancels its send. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const draft = draftId(this, itemIndex);
	await agentMailRequest(this, {
		method: 'DELETE',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'drafts', draft),
		itemIndex,
	});
	return { draft_id: draft, success: true };
}
