import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertRecipientLimit, parseAddresses } from '../../../shared/helpers/addresses';
import { textValue } from '../../../shared/helpers/values';
import { inboxId, messageId } from '../../../shared/params';
import { agentMailRequest, apiPath, type PathWord } from '../../../shared/transport';
import { attachmentsField, inboxLocator, messageIdField } from '../common.descriptions';
import { contentBody, textField } from '../compose';
import { clientIdField, createOptions, draftOutput, sendAtField } from './fields';

type Kind = Extract<PathWord, 'draft-reply' | 'draft-reply-all' | 'draft-forward'>;

const address = (name: string, displayName: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	description,
});

/** Message ID (default: the message_id the previous node gave, e.g. the AgentMail Trigger's). */
const sourceMessageField = (description: string): INodeProperties => ({ ...messageIdField, description });

const bodyOptions = (labelsFor: string): INodeProperties[] => [
	attachmentsField,
	{ displayName: 'HTML', name: 'html', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'HTML body' },
	{ displayName: 'Labels', name: 'labels', type: 'string', default: '', description: `Labels for the ${labelsFor}, comma-separated` },
	address('replyTo', 'Reply To', 'Reply-To addresses, comma-separated'),
	clientIdField,
	sendAtField,
];

/** The properties of one of the three operations, in the order the editor shows them. */
export function fromMessageProperties(kind: Kind): INodeProperties[] {
	if (kind === 'draft-forward') {
		return [
			inboxLocator,
			sourceMessageField('The message to forward, angle brackets included'),
			{
				...address('to', 'To', 'Recipients, comma-separated. May stay empty and be set later with Update Draft.'),
				placeholder: 'colleague@example.com',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Left empty: "Fwd: " and the forwarded message\'s subject',
			},
			{ ...textField, description: 'Plain text above the forwarded message' },
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [
					address('bcc', 'BCC', 'Blind-copy recipients, comma-separated'),
					address('cc', 'CC', 'Copy recipients, comma-separated'),
					...bodyOptions('draft'),
				],
			},
		];
	}
	const recipientOverrides =
		kind === 'draft-reply'
			? [
					address('bcc', 'BCC', 'Blind-copy recipients, comma-separated'),
					address('cc', 'CC', 'Copy recipients instead of the derived ones, comma-separated'),
					address('to', 'To', 'Recipients instead of the message\'s sender, comma-separated'),
				]
			: [];
	return [
		inboxLocator,
		sourceMessageField(
			kind === 'draft-reply'
				? 'The message to answer, angle brackets included'
				: 'The message whose sender and recipients all get the reply, angle brackets included',
		),
		{ ...textField, description: 'Plain-text body of the reply' },
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [...recipientOverrides, ...bodyOptions('draft')],
		},
	];
}

/**
 * POST .../messages/{message_id}/draft-reply | draft-reply-all | draft-forward
 * (AGENTMAIL_API.md §11): the reply or forward saved as a draft, with
 * AgentMail deriving recipients (replies), subject and threading from the
 * message. Idempotent through client_id like Create Draft.
 */
export async function createFromMessage(ctx: IExecuteFunctions, itemIndex: number, kind: Kind): Promise<IDataObject> {
	const node = ctx.getNode();
	const inbox = inboxId(ctx, itemIndex);
	const source = messageId(ctx, itemIndex);
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const recipients: IDataObject = {};
	if (kind !== 'draft-reply-all') {
		const toValue = kind === 'draft-forward' ? ctx.getNodeParameter('to', itemIndex, '') : fields.to;
		const to = parseAddresses(node, 'To', toValue, itemIndex);
		const cc = parseAddresses(node, 'CC', fields.cc, itemIndex);
		const bcc = parseAddresses(node, 'BCC', fields.bcc, itemIndex);
		assertRecipientLimit(node, itemIndex, to, cc, bcc);
		Object.assign(recipients, { to, cc, bcc });
	}
	recipients.reply_to = parseAddresses(node, 'Reply To', fields.replyTo, itemIndex);
	if (kind === 'draft-forward') {
		recipients.subject = textValue(node, 'Subject', ctx.getNodeParameter('subject', itemIndex, ''), itemIndex, {
			header: true,
		});
	}
	for (const [key, value] of Object.entries(recipients)) {
		if (value === '' || (Array.isArray(value) && value.length === 0)) delete recipients[key];
	}
	const body: IDataObject = {
		...recipients,
		...(await contentBody(ctx, itemIndex, fields)),
		...createOptions(ctx, node, itemIndex, fields, kind),
	};
	const draft = await agentMailRequest<IDataObject>(ctx, {
		method: 'POST',
		path: apiPath('inboxes', inbox, 'messages', source, kind),
		body,
		idempotent: true,
		itemIndex,
	});
	return draftOutput(draft);
}
