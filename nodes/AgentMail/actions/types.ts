import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** An output item that carries binary data (downloaded attachments) next to its JSON. */
export class BinaryOutput {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/**
 * One operation runs for one input item and gives one output item, several,
 * or (Return All lists) pages of them as they arrive.
 */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | BinaryOutput | IDataObject[] | AsyncIterable<IDataObject[]>>;
