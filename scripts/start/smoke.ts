/**
 * Walks through the approval demo against a running `npm start`, as a
 * newcomer would with curl: editor answers, node types loaded, the printed
 * curl starts an execution that waits, the approval request with the review
 * link is in the sandbox outbox, the review page opens, approving finishes
 * the execution on the Approved branch and the email is sent; the agent's
 * credential drafts and its key cannot send, the approver's is the one in
 * Wait for Approval.
 *   node .build/scripts/scripts/start/smoke.js        (after `npm start` is ready)
 * Exit 0 when every step passes.
 */
import { httpRequest } from '../lib/http';
import { N8nApi, loadedNodeTypes, nodeOutput } from '../lib/n8nApi';
import { sleep } from '../lib/processes';
import { formFields } from '../lib/review-form';
import { DEMO_REQUEST } from './banner';
import { readOutbox, reviewLink, type OutboxMessage } from './outbox';
import { INBOUND_DEMO } from './replyAgent';
import { startSettings } from './settings';
import { readState, type StartState } from './state';

const step = (message: string) => process.stdout.write(`ok  ${message}\n`);

async function main(): Promise<void> {
	const state = readState(startSettings().stateFile);
	const { n8n, sandbox, workflows, credentials } = state;
	const api = new N8nApi(n8n.url, n8n.apiKey);

	const editor = await httpRequest(`${n8n.url}/`);
	if (editor.status !== 200 || !editor.text.includes('<title>')) throw new Error(`editor ${n8n.url}/: HTTP ${editor.status}`);
	step(`editor ${n8n.url}/ answers 200`);

	const types = (await loadedNodeTypes(n8n)).map((t) => t.name);
	for (const type of ['n8n-nodes-agentmail-hitl.agentMail', 'n8n-nodes-agentmail-hitl.agentMailWaitForApproval', 'n8n-nodes-agentmail-hitl.agentMailTrigger']) {
		if (!types.includes(type)) throw new Error(`/types/nodes.json lacks ${type}`);
	}
	step('/types/nodes.json lists agentMail, agentMailWaitForApproval and agentMailTrigger');

	const approvalNodes = (await api.getWorkflow(workflows.approval.id)).nodes;
	const credentialOf = (name: string) => approvalNodes.find((n) => n.name === name)?.credentials?.agentMailApi?.id;
	if (credentialOf('Agent Drafts Reply') !== credentials.agent.id || credentialOf('Wait for Approval') !== credentials.approver.id) {
		throw new Error(`approval demo: expected "${credentials.agent.name}" on Agent Drafts Reply and "${credentials.approver.name}" on Wait for Approval`);
	}
	step(`approval demo drafts with "${credentials.agent.name}", Wait for Approval uses "${credentials.approver.name}"`);

	const outboxAtStart = (await readOutbox(sandbox.url)).length;
	const refused = await httpRequest(`${sandbox.url}/v0/inboxes/${encodeURIComponent(sandbox.inboxId)}/messages/send`, {
		method: 'POST',
		headers: { authorization: `Bearer ${credentials.agent.apiKey}` },
		body: { to: DEMO_REQUEST.to, subject: 'smoke: must not be sent', text: 'x' },
	});
	const code = (JSON.parse(refused.text) as { code?: string }).code;
	if (refused.status !== 403 || code !== 'missing_permission' || (await readOutbox(sandbox.url)).length !== outboxAtStart) {
		throw new Error(`the agent's key sending: expected 403 missing_permission and nothing sent, got HTTP ${refused.status} ${refused.text}`);
	}
	step(`the agent's key cannot send: 403 ${code}, nothing sent`);

	const before = (await api.listExecutions({ workflowId: workflows.approval.id, limit: 250 })).map((e) => String(e.id));
	const outboxBefore = (await readOutbox(sandbox.url)).length;
	const subject = `${DEMO_REQUEST.subject} ${Date.now().toString(36)}`;
	const started = await httpRequest(workflows.approval.webhookUrl, { method: 'POST', body: { ...DEMO_REQUEST, subject } });
	if (started.status !== 200) throw new Error(`webhook: HTTP ${started.status} ${started.text}`);
	const waiting = await api.waitForWorkflowExecution(workflows.approval.id, 'waiting', { excludeIds: before, timeoutMs: 30_000 });
	step(`the demo curl started execution ${waiting.id}, now "${waiting.status}"`);

	let link: string | undefined;
	for (const deadline = Date.now() + 10_000; !link && Date.now() < deadline; await sleep(250)) {
		const request = (await readOutbox(sandbox.url)).slice(outboxBefore).find((m) => m.subject?.includes(subject) && reviewLink(m));
		link = request && reviewLink(request);
	}
	if (!link) throw new Error('no approval request with a review link in the sandbox outbox');
	step(`approval request to ${DEMO_REQUEST.approver} in the outbox, review link ${link}`);

	const page = await httpRequest(link);
	if (page.status !== 200 || !page.text.includes('Review email before it is sent')) {
		throw new Error(`review page: HTTP ${page.status} ${page.text.slice(0, 300)}`);
	}
	const fields = formFields(page.text);
	if (!fields.version_0) throw new Error('review page has no version_0 field');
	step(`review page opens (fields ${Object.keys(fields).join(', ')})`);

	const decided = await httpRequest(link, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ ...fields, reviewer: 'smoke test', decision: 'approve' }).toString(),
	});
	if (decided.status >= 400) throw new Error(`approving: HTTP ${decided.status} ${decided.text.slice(0, 300)}`);
	const done = await api.waitForExecution(String(waiting.id), 'success', { timeoutMs: 30_000 });
	const ran = Object.keys(done.data?.resultData.runData ?? {});
	if (!ran.includes('Approved') || ran.includes('Rejected')) throw new Error(`ran ${ran.join(', ')}: expected Approved only`);
	step(`approved: execution ${done.id} "${done.status}" on the Approved branch: ${String(nodeOutput(done, 'Approved')[0]?.outcome)}`);

	const sent = (await readOutbox(sandbox.url)).slice(outboxBefore).find((m) => m.subject === subject && m.via === 'draft');
	if (!sent || !sent.to?.includes(DEMO_REQUEST.to)) throw new Error('the approved email is not in the sandbox outbox');
	step(`sent: "${sent.subject}" to ${(sent.to ?? []).join(', ')} (${sent.message_id})`);

	await replyAgent(state);
}

async function waitForMail(sandboxUrl: string, from: number, what: string, match: (m: OutboxMessage) => boolean): Promise<OutboxMessage> {
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
		const found = (await readOutbox(sandboxUrl)).slice(from).find(match);
		if (found) return found;
	}
	throw new Error(`no ${what} in the sandbox outbox`);
}

/** The banner's inbound curl, done from here: mail in -> drafted reply -> approved -> sent in the thread. */
async function replyAgent(state: StartState): Promise<void> {
	const { sandbox } = state;
	const outboxBefore = (await readOutbox(sandbox.url)).length;
	const subject = `${INBOUND_DEMO.subject} ${Date.now().toString(36)}`;
	const inbound = await httpRequest(`${sandbox.url}/_sandbox/inbound`, {
		method: 'POST',
		body: { inbox_id: sandbox.inboxId, ...INBOUND_DEMO, subject },
	});
	if (inbound.status !== 200) throw new Error(`inbound mail: HTTP ${inbound.status} ${inbound.text}`);
	const mail = inbound.json as { message_id: string; thread_id: string };
	step(`the inbound curl delivered "${subject}" to ${sandbox.inboxId} (${mail.message_id})`);

	const request = await waitForMail(sandbox.url, outboxBefore, "the reply agent's approval request", (m) => !!m.subject?.includes(`Re: ${subject}`) && !!reviewLink(m));
	const link = reviewLink(request)!;
	const page = await httpRequest(link);
	if (page.status !== 200 || !page.text.includes('thanks for your message')) throw new Error(`reply review page: HTTP ${page.status} ${page.text.slice(0, 300)}`);
	step(`the trigger started the reply agent; its drafted reply awaits approval at ${link}`);
	const decided = await httpRequest(link, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ ...formFields(page.text), reviewer: 'smoke test', decision: 'approve' }).toString(),
	});
	if (decided.status >= 400) throw new Error(`approving the reply: HTTP ${decided.status} ${decided.text.slice(0, 300)}`);
	const reply = await waitForMail(sandbox.url, outboxBefore, 'approved reply', (m) => m.via === 'draft' && m.subject === `Re: ${subject}`);
	if (reply.thread_id !== mail.thread_id || reply.in_reply_to !== mail.message_id) {
		throw new Error(`the reply is not in the customer's thread: ${JSON.stringify({ thread: reply.thread_id, in_reply_to: reply.in_reply_to })}`);
	}
	step(`reply sent to ${(reply.to ?? []).join(', ')} in thread ${reply.thread_id}`);
}

main().catch((error: Error) => {
	process.stderr.write(`FAIL ${error.message}\n`);
	process.exit(1);
});
