import type { INodeProperties } from 'n8n-workflow';

export { draftLocator, inboxLocator, threadLocator } from '../../shared/locators';

export const messageIdField: INodeProperties = {
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	default: '={{ $json.message_id }}',
	required: true,
	placeholder: '<abc123@agentmail.to>',
	description: 'The message ID, angle brackets included',
};

export function returnAllFields(): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** Filters shared by the draft and message lists (AGENTMAIL_API.md §2.7). */
const listFilterOptions: INodeProperties[] = [
	{
		displayName: 'Ascending',
		name: 'ascending',
		type: 'boolean',
		default: false,
		description: 'Whether to return the oldest first instead of the newest first',
	},
	{
		displayName: 'After',
		name: 'after',
		type: 'dateTime',
		default: '',
		description: 'Only items updated after this time',
	},
	{
		displayName: 'Before',
		name: 'before',
		type: 'dateTime',
		default: '',
		description: 'Only items updated before this time',
	},
	{
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		default: '',
		placeholder: 'scheduled, pending-approval',
		description: 'Only items that carry all of these labels (comma-separated)',
	},
];

const outputSingleItemOption: INodeProperties[] = [
	{
		displayName: 'Output a Single Item',
		name: 'singleItem',
		type: 'boolean',
		default: false,
		description:
			'Whether to output one item holding the page (with count and next_page_token) instead of one item per result',
	},
	{
		displayName: 'Page Cursor',
		name: 'pageCursor',
		type: 'string',
		default: '',
		description: 'The next_page_token of an earlier page, to read the page after it',
		displayOptions: { show: { singleItem: [true] } },
	},
];

export const attachmentsField: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'string',
	default: '',
	placeholder: 'data, invoice',
	description: 'Names of binary properties of the input item to attach, comma-separated',
};

/** Return All / Limit, Filters and Options of the draft and message lists. */
export const listQueryProperties: INodeProperties[] = [
	...returnAllFields(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: listFilterOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: outputSingleItemOption,
	},
];
