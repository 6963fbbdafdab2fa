import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as allowlist from './actions/allowlist';
import * as draft from './actions/draft';
import * as inbox from './actions/inbox';
import * as message from './actions/message';
import * as thread from './actions/thread';
import { requestOptionsProperty } from './actions/requestOptions';
import { router } from './actions/router';
import { listSearch } from './methods';

export class AgentMail implements INodeType {
	description: INodeTypeDescription = {
	displayName: 'AgentMail',
	name: 'agentMail',
	icon: { light: 'file:../../icons/agentmail.svg', dark: 'file:../../icons/agentmail.dark.svg' },
	group: ['output'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description: 'Drafts, messages, threads, inboxes and allow/block lists of AgentMail, the email API for AI agents',
	defaults: { name: 'AgentMail' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'agentMailApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Allowlist', value: 'allowlist', description: 'Allow and block lists for sending and receiving' },
				{ name: 'Draft', value: 'draft' },
				{ name: 'Inbox', value: 'inbox', description: 'The email addresses of the agent' },
				{ name: 'Message', value: 'message' },
				{ name: 'Thread', value: 'thread', description: 'Conversations: a message and its replies' },
			],
			default: 'draft',
		},
		...draft.description,
		...message.description,
		...thread.description,
		...inbox.description,
		...allowlist.description,
		requestOptionsProperty,
	],
};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
