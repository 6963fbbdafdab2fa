import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { inboxId } from '../../../shared/params';
import { agentMailRequest, apiPath } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { inboxOutput } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['inbox'], operation: ['get'] } },
	[inboxLocator],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = await agentMailRequest<IDataObject>(this, {
		method: 'GET',
		path: apiPath('inboxes', inboxId(this, itemIndex)),
		itemIndex,
	});
	return inboxOutput(inbox);
}
