import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { waitForItemSlot } from '../transport/itemSlots';
import { splitList } from './addresses';

/**
 * AgentMail `SendAttachment`s from the item's binary properties, named in a
 * comma-separated list (e.g. "data, invoice"). The binary data is read only
 * once the item may make its request (an item slot, see transport/itemSlots),
 * so at most Concurrency items' attachments are in memory at once, not a
 * whole batch's.
 */
export async function attachmentsFromBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyNames: unknown,
): Promise<IDataObject[]> {
	const names = splitList(propertyNames);
	const item = ctx.getInputData()[itemIndex];
	for (const name of names) {
		if (!item?.binary?.[name]) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Attachments: the input item has no binary property "${name}"`,
				{ itemIndex, description: 'Name binary properties of the input item, e.g. "data".' },
			);
		}
	}
	if (names.length) await waitForItemSlot(ctx, itemIndex);
	const attachments: IDataObject[] = [];
	for (const name of names) {
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
