import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { apiPath } from '../../transport';
import {
	inboxLocator,
	listFilterOptions,
	outputSingleItemOption,
	returnAllFields,
} from '../common.descriptions';
import { listWithFilters } from '../listing';
import { inboxId } from '../params';

/** Fields shared with List Org Drafts. */
export const draftListProperties: INodeProperties[] = [
	...returnAllFields(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: listFilterOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: outputSingleItemOption,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['list'] } },
	[inboxLocator, ...draftListProperties],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const path = apiPath('inboxes', inboxId(this, itemIndex), 'drafts');
	return await listWithFilters(this, itemIndex, { path, itemsKey: 'drafts' });
}
