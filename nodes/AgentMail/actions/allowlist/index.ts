import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as add from './add.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as remove from './remove.operation';

export const operations: Record<string, OperationExecute> = {
	add: add.execute,
	get: get.execute,
	list: list.execute,
	remove: remove.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['allowlist'] } },
		options: [
			{ name: 'Add Entry', value: 'add', action: 'Add an allow or block list entry', description: 'Allow or block an address or domain' },
			{ name: 'Get Entry', value: 'get', action: 'Get an allow or block list entry' },
			{ name: 'List Entries', value: 'list', action: 'List allow or block list entries' },
			{ name: 'Remove Entry', value: 'remove', action: 'Remove an allow or block list entry' },
		],
		default: 'add',
	},
	...add.description,
	...get.description,
	...list.description,
	...remove.description,
];
