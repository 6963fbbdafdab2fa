import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest, apiPath } from '../../../shared/transport';
import { draftLocator, inboxLocator } from '../common.descriptions';
import { draftId, inboxId } from '../../../shared/params';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['get'] } },
	[inboxLocator, draftLocator],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'GET',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'drafts', draftId(this, itemIndex)),
		itemIndex,
	});
	return {
		draft_id: draft.draft_id,
		subject: draft.subject ?? '',
		send_status: draft.send_status ?? '',
		send_at: draft.send_at ?? null,
		result: draft,
	};
}
