import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { textValue } from '../../shared/helpers/values';
import { agentMailRequest, apiPath, validId, type PathWord, type ValidId } from '../../shared/transport';
import { attachmentIds, downloadAll, downloadAttachment, summaryOf } from './attachments';
import { BinaryOutput } from './types';

/** Which attachments Get Attachment downloads, and into which binary property. */
export const attachmentSelection: INodeProperties[] = [
	{
		displayName: 'Download',
		name: 'attachmentMode',
		type: 'options',
		options: [
			{ name: 'One Attachment', value: 'one', description: 'The attachment with the given ID' },
			{
				name: 'All Attachments',
				value: 'all',
				description: 'Every attachment, into binary properties attachment_0, attachment_1, …',
			},
		],
		default: 'one',
	},
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'att_…',
		description: 'The attachment_id from the attachments list of the message or draft',
		displayOptions: { show: { attachmentMode: ['one'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { attachmentMode: ['one'] } },
	},
];

/** A binary property name n8n can hold: letters, digits, _ and - (as n8n's own nodes accept). */
const PROPERTY = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Get Attachment of a message or draft (`owner` = the path of the message or
 * draft): one attachment into the named binary property, or all of them into
 * attachment_0…, each streamed into n8n's binary data store.
 */
export async function getAttachments(
	ctx: IExecuteFunctions,
	itemIndex: number,
	owner: Array<PathWord | ValidId>,
	ids: IDataObject,
): Promise<BinaryOutput> {
	const node = ctx.getNode();
	const mode = ctx.getNodeParameter('attachmentMode', itemIndex, 'one') as string;
	const pathOf = (attachmentId: string) =>
		apiPath(...owner, 'attachments', validId(node, 'Attachment ID', attachmentId, itemIndex));
	if (mode === 'all') {
		const resource = await agentMailRequest<IDataObject>(ctx, { method: 'GET', path: apiPath(...owner), itemIndex });
		const { binary, attachments } = await downloadAll(ctx, itemIndex, attachmentIds(resource), pathOf);
		return new BinaryOutput({ ...ids, attachments, result: resource }, binary);
	}
	if (mode !== 'one') {
		throw new NodeOperationError(node, `Download: unknown choice ${JSON.stringify(mode)}`, { itemIndex });
	}
	const attachmentId = validId(node, 'Attachment ID', ctx.getNodeParameter('attachmentId', itemIndex), itemIndex);
	const property = textValue(node, 'Put Output File in Field', ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'), itemIndex).trim();
	if (!PROPERTY.test(property)) {
		throw new NodeOperationError(node, 'Put Output File in Field: use letters, digits, _ and - only', { itemIndex });
	}
	const path = apiPath(...owner, 'attachments', attachmentId);
	const { meta, binary } = await downloadAttachment(ctx, itemIndex, path);
	return new BinaryOutput({ ...ids, ...summaryOf(meta), binary_property: property, result: meta }, { [property]: binary });
}
