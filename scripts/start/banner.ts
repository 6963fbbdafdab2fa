/** What `npm start` prints once everything is ready. */
import * as path from 'path';

import { inboundCurl } from './replyAgent';
import { REPO_DIR } from './settings';
import type { StartState } from './state';

/** The body the printed curl command sends to the approval demo's webhook. */
export const DEMO_REQUEST = {
	to: 'customer@example.com',
	subject: 'About your refund',
	text: 'Hello, we have approved your refund of 42 EUR. It will reach your card within 5 days.',
	approver: 'you@example.com',
};

export function demoCurl(webhookUrl: string): string {
	return `curl -X POST ${webhookUrl} -H 'content-type: application/json' -d '${JSON.stringify(DEMO_REQUEST)}'`;
}

export function readyBanner(state: StartState): string {
	const { n8n, sandbox, workflows, credentials } = state;
	const rule = '-'.repeat(78);
	return [
		'',
		rule,
		`n8n-nodes-agentmail-hitl demo ready in ${state.readyAfterSeconds.toFixed(1)}s`,
		'',
		`n8n editor      ${n8n.url}`,
		`  log in        ${n8n.owner.email} / ${n8n.owner.password}`,
		`  approval demo ${n8n.url}/workflow/${workflows.approval.id}  (published)`,
		`  lifecycle     ${n8n.url}/workflow/${workflows.lifecycle.id}  (run it with "Execute workflow")`,
		`AgentMail sandbox ${sandbox.url}`,
		`  API key       ${sandbox.apiKey} (every permission)   inbox ${sandbox.inboxId}`,
		`  credentials   "${credentials.agent.name}"  key ${credentials.agent.apiKey}: drafts, cannot send`,
		`                "${credentials.approver.name}"  key ${credentials.approver.apiKey}: used by Wait for Approval`,
		`                (both Region Custom, Base URL ${sandbox.url}; README "Keep the agent from sending")`,
		'',
		'Start the approval demo (from another terminal):',
		'',
		`  ${demoCurl(workflows.approval.webhookUrl)}`,
		'',
		`The reply agent ${n8n.url}/workflow/${workflows.replyAgent.id} (published) answers mail to ${sandbox.inboxId}:`,
		'a customer writes (AgentMail Trigger), a Code node drafts the reply, you approve it, it goes out in the thread:',
		'',
		`  ${inboundCurl(sandbox.url, sandbox.inboxId)}`,
		'',
		`The approver's email with the review link shows up below as it is sent; all sent mail:`,
		`  curl ${sandbox.url}/_sandbox/outbox`,
		'Open the link, approve or reject: the execution goes on to the Approved or Rejected',
		'node (Executions tab of the workflow) and, when approved, the email is sent.',
		'',
		`Ctrl-C stops n8n and the sandbox. Data stays in ${path.relative(REPO_DIR, n8n.runDir)}/ (delete it to start over).`,
		rule,
		'',
	].join('\n');
}
