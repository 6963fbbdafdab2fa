import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * One operation runs for one input item and gives one output item, several,
 * or (Return All lists) pages of them as they arrive.
 */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[] | AsyncIterable<IDataObject[]>>;
