import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { inboxId, threadId } from '../../../shared/params';
import { agentMailRequest, apiPath, idempotencyKey, isAlreadyDone, toNodeError } from '../../../shared/transport';
import { inboxLocator, threadLocator } from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['delete'] } },
	[
		{
			displayName: 'This permanently deletes the thread and every message in it. To keep them, add a label such as "trash" with Update Labels instead.',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		inboxLocator,
		threadLocator,
	],
);

/**
 * Deletes a conversation and all its messages, permanently (AgentMail
 * removed the trash-first behaviour). A 404 on a retry after a 5xx or a
 * dropped connection means the first attempt deleted it: success.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = inboxId(this, itemIndex);
	const thread = threadId(this, itemIndex);
	try {
		await agentMailRequest(this, {
			method: 'DELETE',
			path: apiPath('inboxes', inbox, 'threads', thread),
			outcomeKey: idempotencyKey(this, itemIndex, 'thread-delete'),
			itemIndex,
		});
	} catch (error) {
		if (!isAlreadyDone(error, 404)) throw toNodeError(this.getNode(), error, itemIndex);
	}
	return { thread_id: thread, inbox_id: inbox, success: true };
}
