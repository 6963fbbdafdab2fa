import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { normalizeEmail, toAsciiDomain } from '../../../shared/helpers/addresses';
import { textValue } from '../../../shared/helpers/values';
import { apiPath, validId, type PathWord, type ValidId } from '../../../shared/transport';
import { inboxLocator } from '../common.descriptions';
import { inboxId } from '../../../shared/params';

type Direction = Extract<PathWord, 'send' | 'receive' | 'reply'>;
type ListType = Extract<PathWord, 'allow' | 'block'>;
const DIRECTIONS: Direction[] = ['send', 'receive', 'reply'];
const LIST_TYPES: ListType[] = ['allow', 'block'];

/** Scope, inbox, direction and list type: which of AgentMail's lists an operation works on. */
export const listSelection: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'Organization', value: 'organization', description: 'Applies to every inbox' },
			{ name: 'Inbox', value: 'inbox', description: 'Applies to one inbox and overrides the organization lists' },
		],
		default: 'organization',
	},
	{ ...inboxLocator, displayOptions: { show: { scope: ['inbox'] } } },
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		options: [
			{ name: 'Send', value: 'send', description: 'Recipients the agent may (not) email' },
			{ name: 'Receive', value: 'receive', description: 'Senders whose new mail is (not) accepted' },
			{ name: 'Reply', value: 'reply', description: 'Senders whose replies to our mail are (not) accepted' },
		],
		default: 'send',
	},
	{
		displayName: 'List Type',
		name: 'listType',
		type: 'options',
		options: [
			{ name: 'Allow', value: 'allow', description: 'Once the list has an entry, only listed addresses pass' },
			{ name: 'Block', value: 'block', description: 'Listed addresses are rejected' },
		],
		default: 'allow',
	},
];

export const entryField: INodeProperties = {
	displayName: 'Entry',
	name: 'entry',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'customer@example.com or example.com',
	description: 'An email address or a bare domain',
};

function choice<T extends string>(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	allowed: T[],
	itemIndex: number,
): T {
	const value = ctx.getNodeParameter(name, itemIndex) as T;
	if (!allowed.includes(value)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be one of ${allowed.join(', ')}`, { itemIndex });
	}
	return value;
}

/** The collection path of the chosen list: `/v0/[inboxes/{id}/]lists/{direction}/{type}`. */
export function listPath(ctx: IExecuteFunctions, itemIndex: number, entry?: ValidId): string {
	const direction = choice(ctx, 'direction', 'Direction', DIRECTIONS, itemIndex);
	const listType = choice(ctx, 'listType', 'List Type', LIST_TYPES, itemIndex);
	const scope = ctx.getNodeParameter('scope', itemIndex) as string;
	const tail: Array<PathWord | ValidId> = ['lists', direction, listType, ...(entry ? [entry] : [])];
	return scope === 'inbox' ? apiPath('inboxes', inboxId(ctx, itemIndex), ...tail) : apiPath(...tail);
}

/**
 * The Entry field: an email address or a bare domain, lower-cased, with an
 * internationalised domain in punycode (as in To and the other address
 * fields, so the entry matches the recipients it is meant for).
 */
export function entryValue(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	const raw = textValue(ctx.getNode(), 'Entry', ctx.getNodeParameter('entry', itemIndex, ''), itemIndex).trim();
	const entry = normalizeEmail(raw) ?? toAsciiDomain(raw);
	if (!entry) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Entry: ${JSON.stringify(raw)} is neither an email address nor a domain`,
			{ itemIndex, description: 'Use customer@example.com or example.com (no @, no scheme, no path).' },
		);
	}
	return validId(ctx.getNode(), 'Entry', entry.toLowerCase(), itemIndex);
}

/** The output item of one list entry. */
export function entryOutput(entry: IDataObject): IDataObject {
	return {
		entry: entry.entry,
		direction: entry.direction,
		list_type: entry.list_type,
		entry_type: entry.entry_type,
		result: entry,
	};
}
