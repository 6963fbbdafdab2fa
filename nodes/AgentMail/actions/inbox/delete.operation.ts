import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { inboxId } from '../../../shared/params';
import { agentMailRequest, apiPath, idempotencyKey, isAlreadyDone, toNodeError } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['inbox'], operation: ['delete'] } },
	[
		{
			displayName: 'This deletes the inbox with all its messages, threads and drafts. Its address stops receiving mail.',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		inboxLocator,
	],
);

/** A 404 on a retry after a 5xx or a dropped connection means the first attempt deleted it: success. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = inboxId(this, itemIndex);
	try {
		await agentMailRequest(this, {
			method: 'DELETE',
			path: apiPath('inboxes', inbox),
			outcomeKey: idempotencyKey(this, itemIndex, 'inbox-delete'),
			itemIndex,
		});
	} catch (error) {
		if (!isAlreadyDone(error, 404)) throw toNodeError(this.getNode(), error, itemIndex);
	}
	return { inbox_id: inbox, email: inbox, success: true };
}
