import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecute } from '../types';
import * as forward from './forward.operation';
import * as get from './get.operation';
import * as getAttachment from './getAttachment.operation';
import * as label from './label.operation';
import * as list from './list.operation';
import * as reply from './reply.operation';
import * as send from './send.operation';

export const operations: Record<string, OperationExecute> = {
	send: send.execute,
	get: get.execute,
	getAttachment: getAttachment.execute,
	forward: forward.execute,
	list: list.execute,
	reply: reply.execute,
	label: label.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Forward',
				value: 'forward',
				action: 'Forward a message',
				description: 'Send a message on to other recipients now, with the original below your text',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a message',
				description: 'Get a message with its body (optionally its attachments as files)',
			},
			{
				name: 'Get Attachment',
				value: 'getAttachment',
				action: 'Get a message attachment',
				description: 'Download one or all attachments of a message as binary files',
			},
			{ name: 'Label', value: 'label', action: 'Label a message', description: 'Add or remove labels on a message' },
			{ name: 'List', value: 'list', action: 'List messages', description: 'List the messages of an inbox' },
			{ name: 'Reply', value: 'reply', action: 'Reply to a message', description: 'Answer a message in its thread' },
			{ name: 'Send', value: 'send', action: 'Send a message', description: 'Send a new message now' },
		],
		default: 'send',
	},
	...send.description,
	...get.description,
	...getAttachment.description,
	...forward.description,
	...list.description,
	...reply.description,
	...label.description,
];
