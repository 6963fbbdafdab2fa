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
	{ show: { resource: ['draft'], operation: ['list'] } },
	[inboxLocator, ...listQueryProperties],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[] | AsyncIterable<IDataObject[]>> {
	const path = apiPath('inboxes', inboxId(this, itemIndex), 'drafts');
	return await listWithFilters(this, itemIndex, { path, itemsKey: 'drafts' });
}
