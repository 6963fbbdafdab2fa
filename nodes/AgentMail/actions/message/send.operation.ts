import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { assertRecipientLimit, parseAddresses } from '../../helpers/addresses';
import { attachmentsFromBinary } from '../../helpers/attachments';
import { parseLabels } from '../../helpers/labels';
import { agentMailRequest, apiPath, idempotencyKey } from '../../transport';
import { attachmentsField, inboxLocator } from '../common.descriptions';
import { inboxId } from '../params';

const properties: INodeProperties[] = [
	inboxLocator,
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'customer@example.com, Jane Doe <jane@example.com>',
		description: 'Recipients, comma-separated (at most 50 across To, CC and BCC)',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 5 },
		default: '',
		description: 'Plain-text body',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			attachmentsField,
			{ displayName: 'BCC', name: 'bcc', type: 'string', default: '', description: 'Blind-copy recipients, comma-separated' },
			{ displayName: 'CC', name: 'cc', type: 'string', default: '', description: 'Copy recipients, comma-separated' },
			{
				displayName: 'Headers',
				name: 'headers',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Header',
				description: 'Custom email headers',
				options: [
					{
						displayName: 'Header',
						name: 'header',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'X-Ticket-ID' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{ displayName: 'HTML', name: 'html', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'HTML body' },
			{ displayName: 'Labels', name: 'labels', type: 'string', default: '', description: 'Labels for the sent message, comma-separated' },
			{ displayName: 'Reply To', name: 'replyTo', type: 'string', default: '', description: 'Reply-To addresses, comma-separated' },
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function customHeaders(ctx: IExecuteFunctions, itemIndex: number, value: unknown): IDataObject | undefined {
	const entries = ((value as IDataObject)?.header as IDataObject[] | undefined) ?? [];
	if (!entries.length) return undefined;
	const headers: IDataObject = {};
	for (const { name, value: headerValue } of entries) {
		const key = String(name ?? '').trim();
		if (!HEADER_NAME.test(key) || /[\r\n]/.test(String(headerValue ?? ''))) {
			throw new NodeOperationError(ctx.getNode(), `Headers: "${key}" is not a valid header`, { itemIndex });
		}
		headers[key] = String(headerValue ?? '');
	}
	return headers;
}

/** Sends a new message; safe to retry: it carries an Idempotency-Key. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const inbox = inboxId(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const to = parseAddresses(node, 'To', this.getNodeParameter('to', itemIndex, ''), itemIndex, { required: true });
	const cc = parseAddresses(node, 'CC', fields.cc, itemIndex);
	const bcc = parseAddresses(node, 'BCC', fields.bcc, itemIndex);
	assertRecipientLimit(node, itemIndex, to, cc, bcc);
	const subject = this.getNodeParameter('subject', itemIndex, '') as string;
	const text = this.getNodeParameter('text', itemIndex, '') as string;
	const html = (fields.html as string) ?? '';
	if (!text && !html) {
		throw new NodeOperationError(node, 'Text or HTML is required: the message has no body', { itemIndex });
	}

	const body: IDataObject = { to };
	if (cc.length) body.cc = cc;
	if (bcc.length) body.bcc = bcc;
	const replyTo = parseAddresses(node, 'Reply To', fields.replyTo, itemIndex);
	if (replyTo.length) body.reply_to = replyTo;
	if (subject) body.subject = subject;
	if (text) body.text = text;
	if (html) body.html = html;
	const labels = parseLabels(node, 'Labels', fields.labels, itemIndex);
	if (labels.length) body.labels = labels;
	const headers = customHeaders(this, itemIndex, fields.headers);
	if (headers) body.headers = headers;
	const attachments = await attachmentsFromBinary(this, itemIndex, fields.attachments);
	if (attachments.length) body.attachments = attachments;

	const sent = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'messages', 'send'),
		body,
		idempotencyKey: idempotencyKey(this, itemIndex, 'message-send'),
		itemIndex,
	});
	return { message_id: sent.message_id, thread_id: sent.thread_id, result: sent };
}
