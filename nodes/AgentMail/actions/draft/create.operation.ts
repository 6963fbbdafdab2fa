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
import { parseSendAt } from '../../helpers/sendAt';
import { agentMailRequest, apiPath } from '../../transport';
import { attachmentsField, inboxLocator } from '../common.descriptions';
import { inboxId } from '../params';

const CLIENT_ID = /^[A-Za-z0-9._~-]{1,256}$/;

const properties: INodeProperties[] = [
	inboxLocator,
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		placeholder: 'customer@example.com, Jane Doe <jane@example.com>',
		description: 'Recipients, comma-separated',
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
			{
				displayName: 'BCC',
				name: 'bcc',
				type: 'string',
				default: '',
				description: 'Blind-copy recipients, comma-separated',
			},
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				description: 'Copy recipients, comma-separated',
			},
			{
				displayName: 'Client ID',
				name: 'clientId',
				type: 'string',
				default: '',
				placeholder: 'order-1234-reply',
				description:
					'Makes the create idempotent: creating again with the same client ID returns the first draft instead of a new one. Letters, digits and - . _ ~ only.',
			},
			{
				displayName: 'HTML',
				name: 'html',
				type: 'string',
				typeOptions: { rows: 5 },
				default: '',
				description: 'HTML body',
			},
			{
				displayName: 'In Reply To',
				name: 'inReplyTo',
				type: 'string',
				default: '',
				placeholder: '<abc123@agentmail.to>',
				description:
					'Message ID this draft replies to. AgentMail then takes recipients, subject and threading from that message.',
			},
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'needs-review',
				description: 'Labels for the draft, comma-separated',
			},
			{
				displayName: 'Reply To',
				name: 'replyTo',
				type: 'string',
				default: '',
				description: 'Reply-To addresses, comma-separated',
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description:
					'Schedule the draft: AgentMail sends it at this time (ISO 8601 or pick a date) unless it is changed or deleted first',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = this.getNode();
	const inbox = inboxId(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const inReplyTo = String(fields.inReplyTo ?? '').trim();
	const to = parseAddresses(node, 'To', this.getNodeParameter('to', itemIndex, ''), itemIndex, {
		required: !inReplyTo,
	});
	const cc = parseAddresses(node, 'CC', fields.cc, itemIndex);
	const bcc = parseAddresses(node, 'BCC', fields.bcc, itemIndex);
	assertRecipientLimit(node, itemIndex, to, cc, bcc);

	const body: IDataObject = {};
	if (to.length) body.to = to;
	if (cc.length) body.cc = cc;
	if (bcc.length) body.bcc = bcc;
	const replyTo = parseAddresses(node, 'Reply To', fields.replyTo, itemIndex);
	if (replyTo.length) body.reply_to = replyTo;
	const subject = this.getNodeParameter('subject', itemIndex, '') as string;
	if (subject) body.subject = subject;
	const text = this.getNodeParameter('text', itemIndex, '') as string;
	if (text) body.text = text;
	if (fields.html) body.html = fields.html;
	const labels = parseLabels(node, 'Labels', fields.labels, itemIndex);
	if (labels.length) body.labels = labels;
	if (inReplyTo) body.in_reply_to = inReplyTo;
	if (fields.sendAt) {
		body.send_at = parseSendAt(node, 'Send At', fields.sendAt, itemIndex, this.getTimezone());
	}
	const clientId = String(fields.clientId ?? '').trim();
	if (clientId) {
		if (!CLIENT_ID.test(clientId)) {
			throw new NodeOperationError(node, 'Client ID may hold only letters, digits and - . _ ~ (1–256)', {
				itemIndex,
			});
		}
		body.client_id = clientId;
	}
	const attachments = await attachmentsFromBinary(this, itemIndex, fields.attachments);
	if (attachments.length) body.attachments = attachments;

	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'drafts'),
		body,
		idempotent: Boolean(clientId),
		itemIndex,
	});
	return { draft_id: draft.draft_id, send_status: draft.send_status ?? '', result: draft };
}
