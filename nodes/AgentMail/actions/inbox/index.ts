import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationExecute> = {
	create: create.execute,
	get: get.execute,
	list: list.execute,
	update: update.execute,
	delete: del.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inbox'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an inbox',
				description: 'Create a new email address for the agent',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete an inbox',
				description: 'Delete an inbox with all its mail',
			},
			{ name: 'Get', value: 'get', action: 'Get an inbox', description: 'Get an inbox by its address' },
			{
				name: 'List',
				value: 'list',
				action: 'List inboxes',
				description: 'List the inboxes of the organization, newest first',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update an inbox',
				description: 'Change the display name of an inbox',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...list.description,
	...update.description,
	...del.description,
];
