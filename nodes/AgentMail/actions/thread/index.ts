import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as updateLabels from './updateLabels.operation';

export const operations: Record<string, OperationExecute> = {
	list: list.execute,
	get: get.execute,
	updateLabels: updateLabels.execute,
	delete: del.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['thread'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a thread',
				description: 'Delete a conversation and all its messages permanently',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a thread',
				description: 'Get a conversation with all its messages, oldest first',
			},
			{
				name: 'List',
				value: 'list',
				action: 'List threads',
				description: 'List the conversations of an inbox or of the whole organization, most recent first',
			},
			{
				name: 'Update Labels',
				value: 'updateLabels',
				action: 'Update the labels of a thread',
				description: 'Add or remove labels on every message of a conversation',
			},
		],
		default: 'get',
	},
	...list.description,
	...get.description,
	...updateLabels.description,
	...del.description,
];
