import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { createFromMessage, fromMessageProperties } from './fromMessage';

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['createReplyAll'] } },
	fromMessageProperties('draft-reply-all'),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await createFromMessage(this, itemIndex, 'draft-reply-all');
}
