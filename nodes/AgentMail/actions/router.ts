import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	configureSession,
	failedItem,
	ItemSlots,
	toNodeError,
	useItemSlots,
} from '../../shared/transport';
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

/** The most items started (parameters read, input checked) together before their requests go out. */
export const MAX_START_BATCH = 1000;

/**
 * How many items each batch starts, in order, for `count` items: 1, 2, 4, …
 * up to MAX_START_BATCH. The first request goes out after one item's
 * parameters are read, and most items are still read back to back in large
 * batches (what makes the node cheaper than reading each between other
 * items' responses: see bench/README.md).
 */
export function startBatchSizes(count: number): number[] {
	const sizes: number[] = [];
	for (let size = 1, left = count; left > 0; size = Math.min(size * 2, MAX_START_BATCH)) {
		sizes.push(Math.min(size, left));
		left -= size;
	}
	return sizes;
}

/**
 * Runs the chosen operation for every input item and returns the results in
 * input order, every output item paired with its input item.
 *
 * Items are started in batches (startBatchSizes): every item of a batch
 * reads its parameters and checks its input first, then the batch's items
 * make their requests, at most Request Options → Concurrency items at a time
 * across batches (see ItemSlots). With "On Error" set to continue, a failing
 * item becomes `{ error, code, status, fix }` (see failedItem) while the
 * other items go on. With Stop, the first failure ends the run: a bad input
 * fails its batch before any of that batch's requests is made (items of
 * earlier batches may have been sent, as when items ran one by one); after
 * an API failure no further item makes a request and the items already
 * making theirs finish; the error of the first failing item (by position) is
 * thrown.
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
	const slots = new ItemSlots(concurrency);
	useItemSlots(this, slots);

	const results: INodeExecutionData[][] = new Array(items.length);
	let stop: { itemIndex: number; error: unknown } | undefined;
	const start = async (itemIndex: number) => {
		try {
			results[itemIndex] = await runItem(this, run, itemIndex);
		} catch (error) {
			if (slots.wasCancelled(itemIndex)) return;
			if (this.continueOnFail()) {
				results[itemIndex] = [failedItem(this, error, itemIndex)];
			} else {
				// Another item may have failed first: keep the first by position.
				if (stop === undefined || itemIndex < stop.itemIndex) stop = { itemIndex, error };
				slots.close();
			}
		} finally {
			slots.leave(itemIndex);
		}
	};
	const started: Array<Promise<void>> = [];
	let next = 0;
	for (const size of startBatchSizes(items.length)) {
		if (stop !== undefined) break;
		slots.hold();
		for (const end = next + size; next < end; next++) started.push(start(next));
		// A macrotask: every item's failure before its first request (bad input) has been handled by now.
		await sleep(0);
		slots.open();
		await slots.idle();
	}
	await Promise.all(started);
	if (stop) throw toNodeError(this.getNode(), stop.error, stop.itemIndex);

	const output: INodeExecutionData[] = [];
	for (const itemOutput of results) {
		for (const item of itemOutput) output.push(item);
	}
	return [output];
}
