/**
 * Conversations in the sandbox for the review-page tests: mail from a
 * customer (arriving through /_sandbox/inbound, as from outside), the
 * agent's sent reply, the customer's answer, and a reply draft made from it
 * with AgentMail's draft-reply endpoint.
 */
import type { IDataObject } from 'n8n-workflow';

import type { NodeEnv } from '../setup';

export const CUSTOMER = 'Jane Customer <jane@example.com>';

const path = (env: NodeEnv, ...parts: string[]) =>
	`/v0/inboxes/${encodeURIComponent(env.inbox)}/${parts.map(encodeURIComponent).join('/')}`;

export async function inbound(env: NodeEnv, body: IDataObject): Promise<IDataObject> {
	const response = await env.admin.post('/_sandbox/inbound', { inbox_id: env.inbox, from: CUSTOMER, ...body });
	if (response.status !== 200) throw new Error(`inbound failed: ${JSON.stringify(response.data)}`);
	return response.data;
}

export async function sendReply(env: NodeEnv, messageId: string, body: IDataObject): Promise<IDataObject> {
	const response = await env.api.post(path(env, 'messages', messageId, 'reply'), body);
	if (response.status !== 200) throw new Error(`reply failed: ${JSON.stringify(response.data)}`);
	return response.data;
}

export async function draftReply(env: NodeEnv, messageId: string, body: IDataObject): Promise<IDataObject> {
	const response = await env.api.post(path(env, 'messages', messageId, 'draft-reply'), body);
	if (response.status !== 200) throw new Error(`draft-reply failed: ${JSON.stringify(response.data)}`);
	return response.data;
}

export async function getThread(env: NodeEnv, threadId: string): Promise<IDataObject> {
	const response = await env.api.get(path(env, 'threads', threadId));
	if (response.status !== 200) throw new Error(`thread get failed: ${JSON.stringify(response.data)}`);
	return response.data;
}

export interface CustomerThread {
	first: IDataObject;
	agentReply: IDataObject;
	latest: IDataObject;
	draft: IDataObject;
	threadId: string;
}

/**
 * Customer -> agent reply -> customer -> reply draft. `earlier` is merged into
 * the customer's first message (payloads go there), `latest` into the last one.
 */
export async function customerThread(
	env: NodeEnv,
	options: { earlier?: IDataObject; latest?: IDataObject; draft?: IDataObject } = {},
): Promise<CustomerThread> {
	const first = await inbound(env, {
		subject: 'Order 1042 arrived broken',
		text: 'FIRST-MESSAGE: the mug arrived broken. Can I get a refund?',
		attachments: [{ filename: 'photo.jpg', content_type: 'image/jpeg', content: Buffer.alloc(2048, 7).toString('base64') }],
		...options.earlier,
	});
	const agentReply = await sendReply(env, String(first.message_id), {
		text: 'AGENT-REPLY: sorry to hear that! Which order was it?',
	});
	const latest = await inbound(env, {
		subject: 'Re: Order 1042 arrived broken',
		text: 'LATEST-MESSAGE: it is order 1042, thanks!',
		in_reply_to: agentReply.message_id,
		...options.latest,
	});
	const draft = await draftReply(env, String(latest.message_id), {
		text: 'DRAFT-TEXT: we refund $42 today.',
		...options.draft,
	});
	if (latest.thread_id !== first.thread_id) throw new Error('the sandbox did not thread the conversation');
	return { first, agentReply, latest, draft, threadId: String(first.thread_id) };
}
