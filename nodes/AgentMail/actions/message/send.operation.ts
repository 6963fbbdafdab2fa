import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { nodeOf } from '../../../shared/helpers/node';
import { textValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, idempotencyKey } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { composeBody, composeOptions, composeProperties } from '../compose';
import { inboxId } from '../../../shared/params';

const properties: INodeProperties[] = [
	inboxLocator,
	...composeProperties('Recipients, comma-separated (at most 50 across To, CC and BCC)', { toRequired: true }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...composeOptions('Labels for the sent message, comma-separated'),
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
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function customHeaders(ctx: IExecuteFunctions, itemIndex: number, value: unknown): IDataObject | undefined {
	const node = nodeOf(ctx);
	const entries = ((value as IDataObject)?.header as IDataObject[] | undefined) ?? [];
	if (!Array.isArray(entries) || !entries.length) return undefined;
	const headers: IDataObject = {};
	for (const { name, value: headerValue } of entries) {
		const key = textValue(node, 'Headers: Name', name, itemIndex).trim();
		if (!HEADER_NAME.test(key)) {
			throw new NodeOperationError(node, `Headers: ${JSON.stringify(key)} is not a valid header`, {
				itemIndex,
				description: 'A header name takes letters, digits and ! # $ % & \' * + . ^ _ ` | ~ - only.',
			});
		}
		headers[key] = textValue(node, `Headers: "${key}"`, headerValue, itemIndex, { header: true });
	}
	return headers;
}

/** Sends a new message; safe to retry: it carries an Idempotency-Key. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const inbox = inboxId(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = await composeBody(this, itemIndex, fields, { toRequired: true, requireBodyFor: 'message' });
	const headers = customHeaders(this, itemIndex, fields.headers);
	if (headers) body.headers = headers;

	const sent = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'messages', 'send'),
		body,
		idempotencyKey: idempotencyKey(this, itemIndex, 'message-send'),
		itemIndex,
	});
	return { message_id: sent.message_id, thread_id: sent.thread_id, result: sent };
}
