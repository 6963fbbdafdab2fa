import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** One operation runs for one input item and gives one output item or several. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;
