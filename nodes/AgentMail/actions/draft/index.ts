import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as create from './create.operation';
import * as createForward from './createForward.operation';
import * as createReply from './createReply.operation';
import * as createReplyAll from './createReplyAll.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAttachment from './getAttachment.operation';
import * as list from './list.operation';
import * as listOrg from './listOrg.operation';
import * as send from './send.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationExecute> = {
	create: create.execute,
	createReply: createReply.execute,
	createReplyAll: createReplyAll.execute,
	createForward: createForward.execute,
	getAttachment: getAttachment.execute,
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
			{
				name: 'Create Forward Draft',
				value: 'createForward',
				action: 'Create a forward draft from a message',
				description: 'Save a forward of a message as a draft, for review before it is sent',
			},
			{
				name: 'Create Reply Draft',
				value: 'createReply',
				action: 'Create a reply draft to a message',
				description:
					'Save a reply to a message as a draft (recipients, subject and thread come from the message), for review before it is sent',
			},
			{
				name: 'Create Reply-All Draft',
				value: 'createReplyAll',
				action: 'Create a reply all draft to a message',
				description: 'Save a reply to the sender and all recipients of a message as a draft, for review before it is sent',
			},
			{ name: 'Delete', value: 'delete', action: 'Delete a draft', description: 'Delete a draft (cancels a scheduled send)' },
			{ name: 'Get', value: 'get', action: 'Get a draft', description: 'Get a draft with its body' },
			{
				name: 'Get Attachment',
				value: 'getAttachment',
				action: 'Get a draft attachment',
				description: 'Download one or all attachments of a draft as binary files',
			},
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
	...createReply.description,
	...createReplyAll.description,
	...createForward.description,
	...getAttachment.description,
	...get.description,
	...list.description,
	...update.description,
	...send.description,
	...del.description,
	...listOrg.description,
];
