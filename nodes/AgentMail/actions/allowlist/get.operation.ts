import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest } from '../../../shared/transport';
import { entryField, entryOutput, entryValue, listPath, listSelection } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['allowlist'], operation: ['get'] } },
	[...listSelection, entryField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entry = await agentMailRequest<IDataObject>(this, {
		method: 'GET',
		path: listPath(this, itemIndex, entryValue(this, itemIndex)),
		itemIndex,
	});
	return entryOutput(entry);
}
