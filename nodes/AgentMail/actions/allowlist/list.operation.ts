import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { fetchAll } from '../../../shared/transport';
import { returnAllFields } from '../common.descriptions';
import { pageLimit } from '../listing';
import { entryOutput, listPath, listSelection } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['allowlist'], operation: ['list'] } },
	[...listSelection, ...returnAllFields()],
);

/** One item per entry, sorted by entry as AgentMail returns them. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit } = pageLimit(this, itemIndex);
	const entries = await fetchAll(this, { path: listPath(this, itemIndex), itemsKey: 'entries', itemIndex }, limit);
	return entries.map(entryOutput);
}
