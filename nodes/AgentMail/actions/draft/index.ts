import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as listOrg from './listOrg.operation';
import * as send from './send.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationExecute> = {
	create: create.execute,
	get: get.execute,
	list: list.execute,
	update: update.execute,
	send: send.execute,
	delete: del.execute,
	listOrg: listOrg.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['draft'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create a draft', description: 'Create a draft for review or scheduling' },
			{ name: 'Delete', value: 'delete', action: 'Delete a draft', description: 'Delete a draft (cancels a scheduled send)' },
			{ name: 'Get', value: 'get', action: 'Get a draft', description: 'Get a draft with its body' },
			{ name: 'List', value: 'list', action: 'List drafts', description: 'List the drafts of an inbox' },
			{
				name: 'List Org Drafts',
				value: 'listOrg',
				action: 'List drafts of the whole organization',
				description: 'List the drafts of every inbox, e.g. all pending approval',
			},
			{ name: 'Send', value: 'send', action: 'Send a draft', description: 'Send a draft now' },
			{ name: 'Update', value: 'update', action: 'Update a draft', description: 'Change, reschedule or unschedule a draft' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...list.description,
	...update.description,
	...send.description,
	...del.description,
	...listOrg.description,
];
