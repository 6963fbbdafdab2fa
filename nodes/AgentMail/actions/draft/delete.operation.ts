import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { agentMailRequest, apiPath, idempotencyKey, isAlreadyDone, toNodeError } from '../../../shared/transport';
import { draftLocator, inboxLocator } from '../common.descriptions';
import { draftId, inboxId } from '../../../shared/params';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['delete'] } },
	[inboxLocator, draftLocator],
);

/**
 * Deleting a scheduled draft also cancels its send. A 404 on a retry after
 * a 5xx or a dropped connection means the first attempt deleted it: success.
 * On a first attempt a 404 stays an error (the draft never existed here).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const draft = draftId(this, itemIndex);
	const path = apiPath('inboxes', inboxId(this, itemIndex), 'drafts', draft);
	try {
		await agentMailRequest(this, {
			method: 'DELETE',
			path,
			outcomeKey: idempotencyKey(this, itemIndex, 'draft-delete'),
			itemIndex,
		});
	} catch (error) {
		if (!isAlreadyDone(error, 404)) throw toNodeError(this.getNode(), error, itemIndex);
	}
	return { draft_id: draft, success: true };
}
