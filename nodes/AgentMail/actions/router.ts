import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { configureSession, failedItem, toNodeError } from '../../shared/transport';
import { operations } from './operations';
import { requestSettings } from './requestOptions';
import { BinaryOutput, type OperationExecute } from './types';

function isPaged(result: unknown): result is AsyncIterable<IDataObject[]> {
	return typeof (result as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/** One input item's output items, each paired with it; Return All pages are turned into items as they arrive. */
async function runItem(ctx: IExecuteFunctions, run: OperationExecute, itemIndex: number): Promise<INodeExecutionData[]> {
	const result = await run.call(ctx, itemIndex);
	const out: INodeExecutionData[] = [];
	if (isPaged(result)) {
		for await (const page of result) {
			for (const json of page) out.push({ json, pairedItem: { item: itemIndex } });
		}
	} else if (result instanceof BinaryOutput) {
		out.push({ json: result.json, binary: result.binary, pairedItem: { item: itemIndex } });
	} else if (Array.isArray(result)) {
		for (const json of result) out.push({ json, pairedItem: { item: itemIndex } });
	} else {
		out.push({ json: result, pairedItem: { item: itemIndex } });
	}
	return out;
}

/**
 * Runs the chosen operation for every input item, up to Request Options →
 * Concurrency items at once, and returns the results in input order, every
 * output item paired with its input item. With "On Error" set to continue, a
 * failing item becomes `{ error, code, status, fix }` (see failedItem) while
 * the other items go on; with Stop, no item starts after the first failure,
 * the items already running finish, and the error of the first failing item
 * (by position) is thrown, as running them one by one would.
 *
 * All requests of the execution share one session (see transport/session):
 * one credential read, one rate-limit state.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `Unsupported operation "${resource}: ${operation}"`);
	}
	const { concurrency, retryBudgetMs } = requestSettings(this);
	configureSession(this, { retryBudgetMs });

	const results: INodeExecutionData[][] = new Array(items.length);
	const state: { next: number; stop?: { itemIndex: number; error: unknown } } = { next: 0 };
	const worker = async () => {
		while (state.stop === undefined && state.next < items.length) {
			const itemIndex = state.next++;
			try {
				results[itemIndex] = await runItem(this, run, itemIndex);
			} catch (error) {
				if (this.continueOnFail()) {
					results[itemIndex] = [failedItem(this, error, itemIndex)];
				} else {
					// Another item may have failed while this one ran: keep the first by position.
					const earlier = state.stop as { itemIndex: number } | undefined;
					if (earlier === undefined || itemIndex < earlier.itemIndex) state.stop = { itemIndex, error };
				}
			}
		}
	};
	const workers: Array<Promise<void>> = [];
	for (let count = Math.min(concurrency, items.length); count > 0; count--) workers.push(worker());
	await Promise.all(workers);
	if (state.stop) throw toNodeError(this.getNode(), state.stop.error, state.stop.itemIndex);

	const output: INodeExecutionData[] = [];
	for (const itemOutput of results) {
		for (const item of itemOutput) output.push(item);
	}
	return [output];
}
