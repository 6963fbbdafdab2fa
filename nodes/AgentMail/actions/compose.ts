import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { assertRecipientLimit, parseAddresses } from '../../shared/helpers/addresses';
import { attachmentsFromBinary } from '../../shared/helpers/attachments';
import { nodeOf } from '../../shared/helpers/node';
import { parseLabels } from '../../shared/helpers/labels';
import { textValue } from '../../shared/helpers/values';
import { attachmentsField } from './common.descriptions';

/** The plain-text body field of Create Draft, Send Message and Reply. */
export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 5 },
	default: '',
	description: 'Plain-text body',
};

/** To, Subject and Text: the top-level fields of Create Draft and Send Message. */
export function composeProperties(toDescription: string, { toRequired }: { toRequired: boolean }): INodeProperties[] {
	return [
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			required: toRequired,
			placeholder: 'customer@example.com, Jane Doe <jane@example.com>',
			description: toDescription,
		},
		{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
		textField,
	];
}

/** Additional Fields both operations offer; each adds its own on top. */
export function composeOptions(labelsDescription: string): INodeProperties[] {
	return [
		attachmentsField,
		{ displayName: 'BCC', name: 'bcc', type: 'string', default: '', description: 'Blind-copy recipients, comma-separated' },
		{ displayName: 'CC', name: 'cc', type: 'string', default: '', description: 'Copy recipients, comma-separated' },
		{ displayName: 'HTML', name: 'html', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'HTML body' },
		{ displayName: 'Labels', name: 'labels', type: 'string', default: '', description: labelsDescription },
		{ displayName: 'Reply To', name: 'replyTo', type: 'string', default: '', description: 'Reply-To addresses, comma-separated' },
	];
}

/** Drops empty strings and empty lists: AgentMail gets only what was given. */
function withoutEmpty(body: IDataObject): IDataObject {
	for (const [key, value] of Object.entries(body)) {
		if (value === '' || (Array.isArray(value) && value.length === 0)) delete body[key];
	}
	return body;
}

/**
 * Text, HTML, labels and attachments, as Create Draft, Send Message and Reply
 * take them. With `requireBodyFor`, a missing text and HTML fails the item
 * (before any binary data is read).
 */
export async function contentBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	{ requireBodyFor }: { requireBodyFor?: string } = {},
): Promise<IDataObject> {
	const node = nodeOf(ctx);
	const text = textValue(node, 'Text', ctx.getNodeParameter('text', itemIndex, ''), itemIndex);
	const html = textValue(node, 'HTML', fields.html, itemIndex);
	if (requireBodyFor && !text && !html) {
		throw new NodeOperationError(node, `Text or HTML is required: the ${requireBodyFor} has no body`, { itemIndex });
	}
	return withoutEmpty({
		text,
		html,
		labels: parseLabels(node, 'Labels', fields.labels, itemIndex),
		attachments: await attachmentsFromBinary(ctx, itemIndex, fields.attachments),
	});
}

/**
 * The request body fields Create Draft and Send Message share, validated:
 * recipients (at most 50 in all), subject, then contentBody(). Empty values
 * are left out.
 */
export async function composeBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	{ toRequired, requireBodyFor }: { toRequired: boolean; requireBodyFor?: string },
): Promise<IDataObject> {
	const node = nodeOf(ctx);
	const to = parseAddresses(node, 'To', ctx.getNodeParameter('to', itemIndex, ''), itemIndex, { required: toRequired });
	const cc = parseAddresses(node, 'CC', fields.cc, itemIndex);
	const bcc = parseAddresses(node, 'BCC', fields.bcc, itemIndex);
	assertRecipientLimit(node, itemIndex, to, cc, bcc);
	const recipients = withoutEmpty({
		to,
		cc,
		bcc,
		reply_to: parseAddresses(node, 'Reply To', fields.replyTo, itemIndex),
		subject: textValue(node, 'Subject', ctx.getNodeParameter('subject', itemIndex, ''), itemIndex, { header: true }),
	});
	return { ...recipients, ...(await contentBody(ctx, itemIndex, fields, { requireBodyFor })) };
}
