/**
 * The agent loop of `npm start`'s demo: examples/reply-agent.json (AgentMail
 * Trigger -> Code node drafting the reply -> Create Draft with In Reply To ->
 * Wait for Approval) imported with the demo credential and published, and the
 * curl that injects a customer's mail into the sandbox to start it.
 */
import * as path from 'path';

import type { N8nApi } from '../lib/n8nApi';
import { ensureWorkflow, type Credentials, type DemoWorkflow } from './demo';
import { EXAMPLES_DIR } from './settings';

const REPLY_AGENT_FILE = path.join(EXAMPLES_DIR, 'reply-agent.json');

/** The mail the printed curl delivers to the watched inbox (POST /_sandbox/inbound). */
export const INBOUND_DEMO = {
	from: 'Jordan Customer <jordan@example.com>',
	subject: 'Where is my order?',
	text: 'Hello, I ordered a lamp (order 1234) two weeks ago and it has not arrived yet.',
};

export function inboundCurl(sandboxUrl: string, inboxId: string): string {
	return `curl -X POST ${sandboxUrl}/_sandbox/inbound -H 'content-type: application/json' -d '${JSON.stringify({ inbox_id: inboxId, ...INBOUND_DEMO })}'`;
}

/**
 * Imports (or reuses) the reply agent and publishes it, which registers its
 * AgentMail webhook: the trigger and Create Draft on the agent's credential
 * (its key may also manage webhooks), Wait for Approval on the approver's.
 */
export async function setUpReplyAgent(api: N8nApi, credentials: Credentials): Promise<DemoWorkflow> {
	const workflow = await ensureWorkflow(api, REPLY_AGENT_FILE, credentials);
	if (!workflow.active || workflow.action === 're-pointed to the credential') {
		await api.activateWorkflow(workflow.id);
		workflow.active = (await api.getWorkflow(workflow.id)).active;
	}
	return workflow;
}
