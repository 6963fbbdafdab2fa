import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { textValue } from '../../../shared/helpers/values';
import { agentMailRequest, idempotencyKey, isAlreadyDone, toNodeError } from '../../../shared/transport';
import { entryField, entryOutput, entryValue, listPath, listSelection } from './common';

const properties: INodeProperties[] = [
	...listSelection,
	entryField,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: 'Asked not to be contacted',
		description: 'Why the entry is blocked (kept with the entry)',
		displayOptions: { show: { listType: ['block'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['allowlist'], operation: ['add'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entry = entryValue(this, itemIndex);
	const body: IDataObject = { entry };
	if (this.getNodeParameter('listType', itemIndex) === 'block') {
		const reason = textValue(this.getNode(), 'Reason', this.getNodeParameter('reason', itemIndex, ''), itemIndex).trim();
		if (reason) body.reason = reason;
	}
	let created: IDataObject;
	try {
		created = await agentMailRequest<IDataObject>(this, {
			method: 'POST',
			path: listPath(this, itemIndex),
			body,
			// Adding the same entry again leaves one entry: safe to repeat.
			idempotent: true,
			outcomeKey: idempotencyKey(this, itemIndex, 'list-add'),
			itemIndex,
		});
	} catch (error) {
		// 409 already_exists on a retry after a 5xx or a dropped connection: the
		// first attempt added it. Return the entry as it is stored. On a first
		// attempt the 409 stays an error: the entry was there before.
		if (!isAlreadyDone(error, 409, 'already_exists')) throw toNodeError(this.getNode(), error, itemIndex);
		created = await agentMailRequest<IDataObject>(this, {
			method: 'GET',
			path: listPath(this, itemIndex, entry),
			itemIndex,
		});
	}
	return entryOutput(created);
}
