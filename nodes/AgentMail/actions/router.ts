import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { failedItem, toNodeError } from '../transport';
import { operations } from './operations';

/**
 * Runs the chosen operation once per input item, in order. Every output item
 * is paired with its input item. With "On Error" set to continue, a failing
 * item becomes `{ error, code, status, fix }` (see failedItem) while the
 * other items go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `Unsupported operation "${resource}: ${operation}"`);
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run.call(this, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
			output.push(failedItem(this, error, itemIndex));
		}
	}
	return [output];
}
