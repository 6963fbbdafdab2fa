import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { apiPath } from '../../../shared/transport';
import { listWithFilters } from '../listing';
import { listQueryProperties } from '../common.descriptions';

/** Drafts of every inbox in the organization: the central "pending approval" dashboard. */
export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['listOrg'] } },
	listQueryProperties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[] | AsyncIterable<IDataObject[]>> {
	return await listWithFilters(this, itemIndex, { path: apiPath('drafts'), itemsKey: 'drafts' });
}
