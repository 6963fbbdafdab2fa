import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { booleanValue } from '../../../shared/helpers/values';
import { apiPath, fetchPages } from '../../../shared/transport';
import { returnAllFields } from '../common.descriptions';
import { pageLimit } from '../listing';
import { inboxOutput } from './common';

const properties: INodeProperties[] = [
	...returnAllFields(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Ascending',
				name: 'ascending',
				type: 'boolean',
				default: false,
				description: 'Whether to return the oldest inbox first instead of the newest first',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inbox'], operation: ['list'] } },
	properties,
);

async function* asInboxes(pages: AsyncIterable<IDataObject[]>): AsyncGenerator<IDataObject[]> {
	for await (const page of pages) yield page.map(inboxOutput);
}

/** One item per inbox of the organization, newest first unless Ascending, page by page. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<AsyncIterable<IDataObject[]>> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const ascending = booleanValue(this.getNode(), 'Ascending', filters.ascending, itemIndex);
	const { limit } = pageLimit(this, itemIndex);
	const query = { path: apiPath('inboxes'), itemsKey: 'inboxes', qs: { ascending: ascending || undefined }, itemIndex };
	return asInboxes(fetchPages(this, query, limit));
}
