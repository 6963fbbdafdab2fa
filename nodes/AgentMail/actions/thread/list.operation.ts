import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { inboxId } from '../../../shared/params';
import { apiPath } from '../../../shared/transport';
import { inboxLocator, listQueryProperties } from '../common.descriptions';
import { listWithFilters } from '../listing';
import { threadOutput } from './common';

/** The shared list filters, their Before / After described for threads (they apply to the last message). */
function forThreads(property: INodeProperties): INodeProperties {
	if (property.name !== 'filters' || !property.options) return property;
	const options = (property.options as INodeProperties[]).map((option) =>
		option.name === 'before' || option.name === 'after'
			? { ...option, description: `Only threads whose last message came ${option.name} this time` }
			: option,
	);
	return { ...property, options };
}

const properties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'Inbox', value: 'inbox', description: 'The conversations of one inbox' },
			{ name: 'Organization', value: 'organization', description: 'The conversations of every inbox' },
		],
		default: 'inbox',
	},
	{ ...inboxLocator, displayOptions: { show: { scope: ['inbox'] } } },
	...listQueryProperties.map(forThreads),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['thread'], operation: ['list'] } },
	properties,
);

/**
 * One item per thread (conversation), the one with the most recent message
 * first unless Ascending; Before / After apply to that last message's time.
 * Each item: thread_id, inbox_id, message_count, subject, and the ThreadItem
 * as `result` (senders, recipients, labels, preview, last_message_id, ...).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[] | AsyncIterable<IDataObject[]>> {
	const scope = this.getNodeParameter('scope', itemIndex, 'inbox') as string;
	const path = scope === 'organization' ? apiPath('threads') : apiPath('inboxes', inboxId(this, itemIndex), 'threads');
	return await listWithFilters(this, itemIndex, { path, itemsKey: 'threads', toItem: (thread) => threadOutput(thread) });
}
