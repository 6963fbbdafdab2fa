import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest } from '../../../shared/transport';
import { entryField, entryValue, listPath, listSelection } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['allowlist'], operation: ['remove'] } },
	[...listSelection, entryField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entry = entryValue(this, itemIndex);
	await agentMailRequest(this, { method: 'DELETE', path: listPath(this, itemIndex, entry), itemIndex });
	return { entry, success: true };
}
