import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { splitList } from './addresses';

/**
 * AgentMail `SendAttachment`s from the item's binary properties, named in a
 * comma-separated list (e.g. "data, invoice").
 */
export async function attachmentsFromBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyNames: unknown,
): Promise<IDataObject[]> {
	const names = splitList(propertyNames);
	const attachments: IDataObject[] = [];
	for (const name of names) {
		const item = ctx.getInputData()[itemIndex];
		if (!item?.binary?.[name]) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Attachments: the input item has no binary property "${name}"`,
				{ itemIndex, description: 'Name binary properties of the input item, e.g. "data".' },
			);
		}
		const binary = ctx.helpers.assertBinaryData(itemIndex, name);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
		attachments.push({
			filename: binary.fileName ?? name,
			content_type: binary.mimeType,
			content: buffer.toString('base64'),
		});
	}
	return attachments;
}
