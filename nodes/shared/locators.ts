import type { INodeProperties } from 'n8n-workflow';

/** Inbox picker: searchable list (paged past 100) or an inbox id / email address. */
export const inboxLocator: INodeProperties = {
	displayName: 'Inbox',
	name: 'inboxId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The AgentMail inbox to work in',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchInboxes', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'agent@agentmail.to',
			hint: 'The inbox ID is its email address',
		},
	],
};

/** Draft picker within the chosen inbox; by default the draft id the previous node produced. */
export const draftLocator: INodeProperties = {
	displayName: 'Draft',
	name: 'draftId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '={{ $json.draft_id }}' },
	required: true,
	description: 'The draft to work on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchDrafts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '={{ $json.draft_id }}',
		},
	],
};

/** Thread picker within the chosen inbox; by default the thread id the previous node produced (a trigger, a message). */
export const threadLocator: INodeProperties = {
	displayName: 'Thread',
	name: 'threadId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '={{ $json.thread_id }}' },
	required: true,
	description: 'The conversation (thread) to work on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchThreads', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '={{ $json.thread_id }}',
		},
	],
};
