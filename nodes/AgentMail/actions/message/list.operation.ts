import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { apiPath } from '../../../shared/transport';
import { inboxLocator, listQueryProperties } from '../common.descriptions';
import { listWithFilters } from '../listing';
import { inboxId } from '../../../shared/params';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['list'] } },
	[inboxLocator, ...listQueryProperties],
);

/** One item per message summary, newest first unless Ascending. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[] | AsyncIterable<IDataObject[]>> {
	const path = apiPath('inboxes', inboxId(this, itemIndex), 'messages');
	return await listWithFilters(this, itemIndex, { path, itemsKey: 'messages' });
}
