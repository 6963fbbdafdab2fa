import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { failureOf, toNodeError } from '../transport';
import { operations } from './operations';

/**
 * Runs the chosen operation once per input item, in order. Every output item
 * is paired with its input item. With "On Error" set to continue, a failing
 * item becomes `{ error, code, status, fix }` (and carries the error itself,
 * so n8n routes it to the error output) while the other items go on.
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
			const failed: INodeExecutionData = {
				json: failureOf(error) as unknown as IDataObject,
				pairedItem: { item: itemIndex },
			};
			// n8n-core replaces the json of every item that carries `.error` with
			// `{ error: message }` (dropping code, status and fix), so only the
			// error output, which needs it for routing, gets it.
			if (this.getNode().onError === 'continueErrorOutput') {
				failed.error = error as NodeApiError | NodeOperationError;
			}
			output.push(failed);
		}
	}
	return [output];
}
