import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { assertRecipientLimit, parseAddresses } from '../../../shared/helpers/addresses';
import { attachmentsFromBinary } from '../../../shared/helpers/attachments';
import { labelChanges } from '../../../shared/helpers/labels';
import { parseSendAt } from '../../../shared/helpers/sendAt';
import { describeType, textValue } from '../../../shared/helpers/values';
import { agentMailRequest, apiPath, validId } from '../../../shared/transport';
import { attachmentsField, draftLocator, inboxLocator } from '../common.descriptions';
import { draftId, inboxId } from '../../../shared/params';

const LEAVE_EMPTY_TO_CLEAR = 'Leave empty to clear it.';

const properties: INodeProperties[] = [
	inboxLocator,
	draftLocator,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'Only the fields added here change. A field added but left empty is cleared; Send At left empty unschedules the draft.',
		options: [
			{
				...attachmentsField,
				displayName: 'Add Attachments',
				name: 'addAttachments',
				description: 'Names of binary properties of the input item to attach, comma-separated',
			},
			{
				displayName: 'Add Labels',
				name: 'addLabels',
				type: 'string',
				default: '',
				description: 'Labels to add, comma-separated',
			},
			{
				displayName: 'BCC',
				name: 'bcc',
				type: 'string',
				default: '',
				description: 'Blind-copy recipients, comma-separated. Leave empty to clear it.',
			},
			{
				displayName: 'CC',
				name: 'cc',
				type: 'string',
				default: '',
				description: 'Copy recipients, comma-separated. Leave empty to clear it.',
			},
			{
				displayName: 'HTML',
				name: 'html',
				type: 'string',
				typeOptions: { rows: 5 },
				default: '',
				description: 'HTML body. Leave empty to clear it.',
			},
			{
				displayName: 'Remove Attachments',
				name: 'removeAttachments',
				type: 'string',
				default: '',
				placeholder: 'att_123, att_456',
				description: 'IDs of the draft\'s attachments to remove (attachment_id), comma-separated',
			},
			{
				displayName: 'Remove Labels',
				name: 'removeLabels',
				type: 'string',
				default: '',
				description: 'Labels to remove, comma-separated',
			},
			{
				displayName: 'Reply To',
				name: 'replyTo',
				type: 'string',
				default: '',
				description: 'Reply-To addresses, comma-separated. Leave empty to clear it.',
			},
			{
				displayName: 'Send At',
				name: 'sendAt',
				type: 'dateTime',
				default: '',
				description: 'New schedule time. Leave empty to unschedule (the draft is kept).',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: LEAVE_EMPTY_TO_CLEAR,
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				typeOptions: { rows: 5 },
				default: '',
				description: 'Plain-text body. Leave empty to clear it.',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'string',
				default: '',
				description: 'Recipients, comma-separated. Leave empty to clear it.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['draft'], operation: ['update'] } },
	properties,
);

const RECIPIENT_FIELDS: Array<[string, string, string]> = [
	['to', 'to', 'To'],
	['cc', 'cc', 'CC'],
	['bcc', 'bcc', 'BCC'],
	['replyTo', 'reply_to', 'Reply To'],
];
const TEXT_FIELDS: Array<[string, string, string]> = [
	['subject', 'subject', 'Subject'],
	['text', 'text', 'Text'],
	['html', 'html', 'HTML'],
];

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The PATCH body: only the fields the user added. Added-but-empty becomes
 * null, which AgentMail treats as "clear"; `send_at: null` unschedules.
 */
export function updateBody(ctx: IExecuteFunctions, itemIndex: number, fields: IDataObject): IDataObject {
	const node = ctx.getNode();
	const body: IDataObject = {};
	for (const [param, key, label] of RECIPIENT_FIELDS) {
		if (!(param in fields)) continue;
		const list = parseAddresses(node, label, fields[param], itemIndex);
		body[key] = list.length ? list : null;
	}
	assertRecipientLimit(node, itemIndex, ...(['to', 'cc', 'bcc'].map((key) => (body[key] as string[]) ?? [])));
	for (const [param, key, label] of TEXT_FIELDS) {
		if (!(param in fields)) continue;
		const text = textValue(node, label, fields[param], itemIndex, { header: param === 'subject' });
		body[key] = text.trim() === '' ? null : text;
	}
	if ('sendAt' in fields) {
		body.send_at = isEmpty(fields.sendAt)
			? null
			: parseSendAt(node, 'Send At', fields.sendAt, itemIndex, ctx.getTimezone());
	}
	return {
		...body,
		...labelChanges(
			node,
			itemIndex,
			{ field: 'Add Labels', value: fields.addLabels },
			{ field: 'Remove Labels', value: fields.removeLabels },
		),
	};
}

/** Attachment ids typed as a comma-separated list (or given as a list of ids), each checked like a path id. */
function attachmentIdList(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string[] {
	const node = ctx.getNode();
	if (value === undefined) return [];
	const parts = Array.isArray(value) ? value : [value];
	const ids: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') {
			throw new NodeOperationError(node, `Remove Attachments: expected attachment ids as text, got ${describeType(part)}`, {
				itemIndex,
				description: 'Give attachment_id values separated by commas, or a list of them.',
			});
		}
		// Commas only: a line break is not a separator here but a control character, refused by validId.
		for (const id of part.split(',')) {
			if (id.trim()) ids.push(validId(node, 'Remove Attachments', id, itemIndex));
		}
	}
	if (ids.length === 0) {
		throw new NodeOperationError(node, 'Remove Attachments: give at least one attachment id', { itemIndex });
	}
	return [...new Set(ids)];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = updateBody(this, itemIndex, fields);
	// Both may be given: remove_attachments names attachments the draft already has.
	const remove = attachmentIdList(this, itemIndex, fields.removeAttachments);
	if (remove.length) body.remove_attachments = remove;
	const add = await attachmentsFromBinary(this, itemIndex, fields.addAttachments);
	if (add.length) body.add_attachments = add;
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields: add at least one field to change', {
			itemIndex,
		});
	}
	const draft = await agentMailRequest<IDataObject>(this, {
		method: 'PATCH',
		path: apiPath('inboxes', inboxId(this, itemIndex), 'drafts', draftId(this, itemIndex)),
		body,
		itemIndex,
	});
	return { draft_id: draft.draft_id, send_status: draft.send_status ?? '', result: draft };
}
