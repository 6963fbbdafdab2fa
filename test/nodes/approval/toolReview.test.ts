/**
 * Wait for Approval as the AI Agent's Human review (its `…HitlTool` variant),
 * run through n8n-core: the review node gets the tool call on its input item
 * as n8n's engine hands it over ({ tool, toolParameters, toolCallId }), with
 * the gated AgentMail tool connected to it by an ai_tool connection.
 */
import type { IConnections, IDataObject, INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { callWaitingWebhook, expireWait, loadRunExecutionData, type HarnessExecutionState, type HarnessRun } from '../../harness';
import { decisionClientId, DECISION_LABEL } from '../../../nodes/AgentMailWaitForApproval/review/claim';
import { TOOL_CALL_CONTEXT_KEY } from '../../../nodes/AgentMailWaitForApproval/review/toolCallPrepare';
import type { ToolCallState } from '../../../nodes/AgentMailWaitForApproval/review/toolCallTypes';
import { DEFAULT_OPERATION, DEFAULT_RESOURCE } from '../../../nodes/shared/operationDefaults';
import { byId, node, START, useNodeEnv, type NodeEnv } from '../setup';
import { FORM, USER_AGENTS } from './helpers';

const getEnv = useNodeEnv();
const REVIEW = 'Human review';
const TOOL = 'Send Message';

afterEach(() => jest.restoreAllMocks());

const HOSTILE_TEXT = 'Hi </pre><script>alert("x")</script> & <b>bold</b>';
const HOSTILE_HTML = '<p onclick="steal()">Hello <img src="https://tracker.example/p.gif"><script>alert(1)</script></p>';

/** The agent's tool call, as n8n's engine puts it on the review node's input item. */
function toolCall(extra: IDataObject = {}): IDataObject {
	return {
		chatInput: 'Tell the customer their refund is approved',
		tool: 'Send_Message',
		toolParameters: {
			to: 'customer@example.com',
			subject: 'Your refund <approved>',
			text: HOSTILE_TEXT,
			html: HOSTILE_HTML,
		},
		toolCallId: 'call_0001',
		...extra,
	};
}

function gatedTool(env: NodeEnv): Partial<INode> {
	return node(TOOL, 'agentMail', {
		resource: 'message',
		operation: 'send',
		inboxId: byId(env.inbox),
		to: "={{ $fromAI('to', 'Recipient', 'string') }}",
		subject: "={{ $fromAI('subject', '', 'string') }}",
		text: "={{ $fromAI('text', '', 'string') }}",
		additionalFields: {
			cc: 'audit@example.com',
			bcc: '={{ $json.secretBcc }}',
			html: "={{ $fromAI('html', '', 'string') }}",
		},
	});
}

function reviewNode(env: NodeEnv, parameters: INodeParameters = {}): Partial<INode> {
	return node(REVIEW, 'agentMailWaitForApprovalHitlTool', {
		approvers: 'ops@example.com',
		notifyInbox: byId(env.inbox),
		limitAmount: 1,
		limitUnit: 'hours',
		requestedBy: 'Refund agent',
		options: {},
		...parameters,
	});
}

const connections: IConnections = {
	[START]: { main: [[{ node: REVIEW, type: 'main', index: 0 }]] },
	[TOOL]: { ai_tool: [[{ node: REVIEW, type: 'ai_tool', index: 0 }]] },
};

async function startReview(env: NodeEnv, parameters: INodeParameters = {}, input = toolCall()): Promise<HarnessRun> {
	return await env.run([reviewNode(env, parameters), gatedTool(env)], { items: [input], connections });
}

async function waitingReview(env: NodeEnv, parameters: INodeParameters = {}): Promise<HarnessExecutionState> {
	const run = await startReview(env, parameters);
	if (run.status !== 'waiting') throw new Error(`expected waiting, got ${run.status}: ${run.error?.message}`);
	return run.state;
}

function savedState(state: HarnessExecutionState): ToolCallState {
	const context = loadRunExecutionData(state).executionData?.contextData?.[`node:${REVIEW}`] as IDataObject;
	return JSON.parse(String(context[TOOL_CALL_CONTEXT_KEY])) as ToolCallState;
}

/** What the review node handed the agent (its output, logged as the ai_tool connection). */
function toolOutput(run: HarnessRun | undefined): IDataObject {
	const data = run?.taskData(REVIEW).data as Record<string, Array<Array<{ json: IDataObject }>>> | undefined;
	const items = data?.ai_tool?.[0] ?? data?.main?.[0];
	if (!items?.length) throw new Error(`no output: ${JSON.stringify(data)}`);
	return items[0].json;
}

async function post(state: HarnessExecutionState, fields: Record<string, string>) {
	return await callWaitingWebhook(state, {
		method: 'POST',
		headers: { ...FORM, 'user-agent': USER_AGENTS.browser },
		body: new URLSearchParams({ tool_call: 'call_0001', ...fields }).toString(),
	});
}

async function decisionRecords(env: NodeEnv): Promise<IDataObject[]> {
	const inbox = encodeURIComponent(env.inbox);
	const list = await env.api.get(`/v0/inboxes/${inbox}/drafts?labels=${encodeURIComponent(JSON.stringify([DECISION_LABEL]))}`);
	return list.data.drafts as IDataObject[];
}

describe('Wait for Approval: the Human review tool variant', () => {
	it('n8n generates it: operation fixed to sendAndWait, n8n\'s Message, no draft fields, the node itself unchanged for saved workflows', () => {
		const env = getEnv();
		const base = env.pkg.nodeTypes.getByNameAndVersion(env.pkg.nodeType('agentMailWaitForApproval')).description;
		const variant = env.pkg.nodeTypes.getByNameAndVersion(env.pkg.nodeType('agentMailWaitForApprovalHitlTool')).description;
		const operation = base.properties.find((property) => property.name === 'operation');
		expect(operation?.type).toBe('options');
		expect(operation?.default).toBe(SEND_AND_WAIT_OPERATION);
		expect(operation?.options?.map((option) => (option as { value: string }).value)).toEqual([SEND_AND_WAIT_OPERATION]);
		expect(variant.properties.find((property) => property.name === 'message')).toBeDefined();

		const shown = (description: INodeTypeDescription, parameters: INodeParameters) =>
			Object.keys(
				NodeHelpers.getNodeParameters(description.properties, parameters, true, false, { typeVersion: 1 } as INode, description) ?? {},
			);
		const inTool = shown(variant, {});
		expect(inTool).toEqual(expect.arrayContaining(['message', 'operation', 'approvers', 'notifyInbox', 'limitAmount', 'options']));
		for (const draftOnly of ['inboxId', 'draftId', 'onTimeout', 'onApproval', 'onRejection', 'notification']) {
			expect(inTool).not.toContain(draftOnly);
		}
		const onNode = shown(base, {});
		expect(onNode).toEqual(expect.arrayContaining(['operation', 'inboxId', 'draftId', 'onTimeout', 'onApproval', 'onRejection']));
		expect(NodeHelpers.getNodeParameters(base.properties, {}, true, false, { typeVersion: 1 } as INode, base)?.operation).toBe(
			SEND_AND_WAIT_OPERATION,
		);
	});

	it('the AgentMail defaults it reads a gated tool\'s saved parameters with are the AgentMail node\'s', () => {
		const env = getEnv();
		const agentMail = env.pkg.nodeTypes.getByNameAndVersion(env.pkg.nodeType('agentMail')).description;
		expect(agentMail.properties.find((property) => property.name === 'resource')?.default).toBe(DEFAULT_RESOURCE);
		for (const [resource, operation] of Object.entries(DEFAULT_OPERATION)) {
			const property = agentMail.properties.find(
				(candidate) => candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.includes(resource),
			);
			expect(property?.default).toBe(operation);
		}
	});

	it('shows a Message of the workflow\'s own, escaped', async () => {
		const env = getEnv();
		const state = await waitingReview(env, { message: '=Refund mail for {{ $json.toolParameters.to }} <i>check the amount</i>' });
		const html = String((await callWaitingWebhook(state, { method: 'GET' })).rawBody);
		expect(html).toContain('<h2>Message</h2><pre>Refund mail for customer@example.com &lt;i&gt;check the amount&lt;/i&gt;</pre>');
	});

	it('emails the approvers tool name, who asks, expiry and the signed link, never the tool\'s input, and waits', async () => {
		const env = getEnv();
		const run = await startReview(env);
		expect(run.status).toBe('waiting');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		const mail = outbox[0];
		expect(mail.to).toEqual(['ops@example.com']);
		expect(mail.subject).toBe('Approval needed: AI agent tool call "Send_Message"');
		const content = `${mail.text}\n${mail.html}`;
		expect(content).toContain('Refund agent');
		expect(content).toContain('Send_Message');
		expect(content).toMatch(/Expires: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
		expect(String(mail.text)).toMatch(/\/webhook-waiting\/[^/\s]+\/[^?\s]+\?signature=/);
		for (const secret of ['customer@example.com', 'refund is approved', 'Your refund', 'alert', 'tracker.example']) {
			expect(content).not.toContain(secret);
		}
		expect(await decisionRecords(env)).toHaveLength(0);
	});

	it('the page shows the tool, each parameter and the email as it would go out, all escaped, HTML inert, and says there are no edits', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const page = await callWaitingWebhook(state, { method: 'GET', headers: { 'user-agent': USER_AGENTS.browser } });
		expect(page.statusCode).toBe(200);
		expect(page.resumed).toBe(false);
		const html = String(page.rawBody);
		expect(html).toContain('Tool: Send_Message');
		expect(html).toContain(`<dd>${TOOL}</dd>`);
		expect(html).toContain('call_0001');
		for (const name of ['to', 'subject', 'text', 'html']) expect(html).toContain(`<dt>${name}</dt>`);
		expect(html).toContain('The email as it would go out (Message: Send)');
		expect(html).toContain(`<dt>From</dt><dd>${env.inbox}</dd>`);
		expect(html).toContain('<dt>To</dt><dd>customer@example.com</dd>');
		expect(html).toContain('<dt>Cc</dt><dd>audit@example.com</dd>');
		expect(html).toContain('<dt>Subject</dt><dd>Your refund &lt;approved&gt;</dd>');
		expect(html).toMatch(/evaluates only when the tool runs: Bcc/);
		// Escaped everywhere; the HTML body only inside a sandboxed srcdoc iframe.
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('<b>bold</b>');
		expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
		expect(html).toMatch(/<iframe sandbox="" [^>]*srcdoc="[^"]*&lt;p onclick=&quot;steal\(\)&quot;/);
		expect(html).not.toMatch(/<img src="https:\/\/tracker/);
		expect(page.headers['content-security-policy']).toContain("default-src 'none'");
		expect(html).toContain("n8n run the tool with exactly the agent's input shown here; this page offers no edits");
		expect(html).not.toMatch(/name="(subject|to|text|html)_0"/);
	});

	it('GET and HEAD, from browsers and link scanners, never decide', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		for (const userAgent of Object.values(USER_AGENTS)) {
			for (const method of ['GET', 'HEAD'] as const) {
				const result = await callWaitingWebhook(state, { method, headers: { 'user-agent': userAgent } });
				expect(result.resumed).toBe(false);
				expect(result.run).toBeUndefined();
				// GET shows the page; HEAD has no review webhook (n8n answers it without calling the node).
				if (method === 'GET') expect(result.statusCode).toBe(200);
			}
		}
		expect(await decisionRecords(env)).toHaveLength(0);
		expect(loadRunExecutionData(state).waitTill).toBeDefined();
	});

	it('Approve: { approved: true } with the decision record; a second submission and a late click change nothing', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const result = await post(state, { decision: 'approve', reviewer: 'lead@example.com' });
		expect(result.statusCode).toBe(200);
		expect(String(result.rawBody)).toContain('Decision recorded');
		expect(result.resumed).toBe(true);
		expect(result.run?.status).toBe('success');
		const output = toolOutput(result.run);
		expect(output).toMatchObject({
			approved: true,
			tool: 'Send_Message',
			toolCallId: 'call_0001',
			decision: { status: 'approved', by: 'lead@example.com', via: 'form', reason: null },
		});
		expect(output).not.toHaveProperty('chatInput');
		expect(Date.parse(String((output.decision as IDataObject).at))).not.toBeNaN();
		// The review sends nothing itself: n8n runs the gated tool after approval.
		expect(await env.outbox()).toHaveLength(1);

		const records = await decisionRecords(env);
		expect(records).toHaveLength(1);
		const again = await post(state, { decision: 'reject', reason: 'changed my mind' });
		expect(again.resumed).toBe(false);
		expect(again.statusCode).toBe(409);
		expect(String(again.rawBody)).toContain('Already decided');
		expect(String(again.rawBody)).toContain('approved by lead@example.com');
		expect(await decisionRecords(env)).toHaveLength(1);
	});

	it('Reject with a reason: { approved: false, chatInput: reason }; without a reason nothing is decided', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const refused = await post(state, { decision: 'reject' });
		expect(refused.statusCode).toBe(400);
		expect(refused.resumed).toBe(false);
		expect(String(refused.rawBody)).toContain('Enter a reason for the rejection');
		expect(await decisionRecords(env)).toHaveLength(0);

		const result = await post(state, { decision: 'reject', reason: 'Use the customer\'s billing address <b>not</b> this one' });
		expect(result.resumed).toBe(true);
		expect(toolOutput(result.run)).toMatchObject({
			approved: false,
			chatInput: 'Use the customer\'s billing address <b>not</b> this one',
			decision: { status: 'rejected', via: 'form', by: null },
		});
		expect(String(result.rawBody)).not.toContain('<b>not</b>');
	});

	it('a decision another n8n process claimed first: this submission changes nothing and resumes nothing', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const claimed = await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts`, {
			client_id: decisionClientId(savedState(state)),
			labels: [DECISION_LABEL],
			subject: 'Approval decision (reject)',
			text: JSON.stringify({ version: 1, token: 'other-process', verdicts: ['reject'], reviewer: 'other@example.com', reason: 'No', at: new Date().toISOString() }),
		});
		expect(claimed.status).toBe(200);
		const result = await post(state, { decision: 'approve' });
		expect(result.resumed).toBe(false);
		expect(result.statusCode).toBe(409);
		expect(String(result.rawBody)).toContain('rejected by other@example.com');
	});

	it('a form for another tool call decides nothing', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const result = await callWaitingWebhook(state, {
			method: 'POST',
			headers: FORM,
			body: new URLSearchParams({ tool_call: 'call_other', decision: 'approve' }).toString(),
		});
		expect(result.statusCode).toBe(400);
		expect(result.resumed).toBe(false);
		expect(await decisionRecords(env)).toHaveLength(0);
	});

	it('expiry: the agent gets a denial saying the review expired; a click after the limit decides nothing', async () => {
		const env = getEnv();
		const state = await waitingReview(env);
		const expiresAt = Date.parse(savedState(state).expiresAt);
		jest.spyOn(Date, 'now').mockReturnValue(expiresAt + 1000);
		const late = await post(state, { decision: 'approve' });
		expect(late.statusCode).toBe(410);
		expect(late.resumed).toBe(false);
		expect(String(late.rawBody)).toContain('Review expired');
		jest.restoreAllMocks();
		expect(await decisionRecords(env)).toHaveLength(0);

		const run = await expireWait(state, { force: true });
		expect(run.status).toBe('success');
		const output = toolOutput(run);
		expect(output).toMatchObject({ approved: false, decision: { status: 'expired', via: 'timeout' } });
		expect(String(output.chatInput)).toMatch(/review expired at .*; the tool was not run/);
	});

	it('with several tools behind one review, the page shows the one the agent called', async () => {
		const env = getEnv();
		const draftTool = node('Create Draft', 'agentMail', {
			resource: 'draft',
			operation: 'create',
			inboxId: byId(env.inbox),
			to: "={{ $fromAI('to') }}",
			subject: 'Fixed subject of the draft tool',
		});
		const run = await env.run([reviewNode(env), gatedTool(env), draftTool], {
			items: [toolCall({ tool: 'Create_Draft', toolParameters: { to: 'jane@example.com' } })],
			connections: { ...connections, 'Create Draft': { ai_tool: [[{ node: REVIEW, type: 'ai_tool', index: 0 }]] } },
		});
		expect(run.status).toBe('waiting');
		const html = String((await callWaitingWebhook(run.state, { method: 'GET' })).rawBody);
		expect(html).toContain('The email as it would go out (Draft: Create)');
		expect(html).toContain('<dt>Node</dt><dd>Create Draft</dd>');
		expect(html).toContain('<dt>Subject</dt><dd>Fixed subject of the draft tool</dd>');
		expect(html).toContain('<dt>To</dt><dd>jane@example.com</dd>');
	});

	it('refuses a missing notification inbox before any request', async () => {
		const env = getEnv();
		const run = await startReview(env, { notifyInbox: byId('') });
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Send Notification From/);
		expect(await env.requests()).toHaveLength(0);
	});
});
