/**
 * n8n's real AI Agent (2.41.1, @n8n/n8n-nodes-langchain) with AgentMail
 * tools, driven by a scripted chat model (test-e2e/fixtures/
 * n8n-nodes-e2e-scripted-model) instead of an LLM, so every run is the same:
 *
 *   Webhook -> AI Agent  <- Scripted Chat Model (ai_languageModel)
 *                        <- AgentMail Wait for Approval (Human review, the
 *                           generated …HitlTool variant) <- AgentMail tool
 *                           "Send Message" (ai_tool)
 *
 * Scenarios: the agent calls Send_Message -> the approver's email carries the
 * review link -> approved in headless Chromium -> n8n runs the tool: exactly
 * one email, with the agent's parameters. Rejected with a reason -> the tool
 * does not run, nothing is sent, and the agent's next model call receives the
 * reason. Link scanners x GET/HEAD on the tool-review link decide nothing.
 * The plain AgentMail tool (no review) with $fromAI parameters creates a
 * draft. What the scripted model received in each scenario is written to
 * test-artifacts/ai-agent-e2e-observations.json, the review page screenshots
 * (tool mode) to test-artifacts/ai-agent-review-*.png.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';

import {
	ARTIFACTS_DIR,
	N8nApi,
	agentMailSandbox,
	callWebhook,
	createAgentMailCredential,
	e2eState,
	httpRequest,
	launchBrowser,
	loadedNodeTypes,
	saveScreenshot,
	type Credential,
	type Execution,
	type WorkflowNode,
} from './helpers';
import { SCANNERS } from './helpers/scanners';
import { eventually, sandboxDraft, sandboxOutbox, type OutboxMessage } from './helpers/sandboxAdmin';
import { createWebhookWorkflow, layout, ranNodes, sandboxInbox, type WebhookWorkflow } from './helpers/workflows';
import { REVIEW_LINK } from './helpers/reviewLink';

const api = N8nApi.fromE2eState();
const PACKAGE = 'n8n-nodes-agentmail-hitl';
const HITL_TYPE = `${PACKAGE}.agentMailWaitForApprovalHitlTool`;
const APPROVER = 'agent-reviewer@example.com';
const AGENT = 'AI Agent';
const MODEL = 'Scripted Chat Model';
const REVIEW = 'Human review';
const SEND = 'Send Message';
const DRAFT = 'Create Draft';

let credential: Credential;
let browser: Browser;
let recordFile: string;
const workflowIds: string[] = [];
const observations: Record<string, unknown> = {};

interface ModelCall {
	executionId: string;
	turn: number;
	tools: string[];
	messages: Array<{ type: string; content: string; tool_calls?: unknown[]; tool_call_id?: string }>;
}

/** What the scripted model received, per call, for one execution. */
function modelCalls(executionId: string): ModelCall[] {
	if (!fs.existsSync(recordFile)) return [];
	return fs
		.readFileSync(recordFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as ModelCall)
		.filter((call) => call.executionId === executionId);
}

function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

function agentNode(): WorkflowNode {
	return node(AGENT, '@n8n/n8n-nodes-langchain.agent', 3.1, {
		promptType: 'define',
		text: '={{ $json.body.prompt }}',
		options: { systemMessage: 'You are the refund desk agent. Email customers with the Send_Message tool.' },
	});
}

function modelNode(script: unknown[]): WorkflowNode {
	return node(MODEL, 'n8n-nodes-e2e-scripted-model.scriptedChatModel', 1, {
		script: JSON.stringify(script),
		recordFile,
	});
}

function agentMailTool(name: string, parameters: Record<string, unknown>): WorkflowNode {
	return node(name, `${PACKAGE}.agentMailTool`, 1, parameters, {
		credentials: { agentMailApi: { id: credential.id, name: credential.name } },
	});
}

const fromAI = (key: string, description: string) => `={{ $fromAI('${key}', '${description}', 'string') }}`;

/** The agent's Send_Message call, as the gated tool's schema wants it: the tool's own parameters under toolParameters. */
const SEND_ARGS = {
	to: 'customer@example.com',
	subject: 'Your refund for order 1042',
	text: 'Hello, your refund of $42 is on its way. <script>alert(1)</script>',
};

/** Webhook -> AI Agent with Send Message gated by Human review. */
function reviewedAgentWorkflow(
	webhook: WorkflowNode,
	reviewParameters: Record<string, unknown> = {},
): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	const nodes = layout([
		webhook,
		agentNode(),
		modelNode([
			{ toolCalls: [{ name: 'Send_Message', args: { toolParameters: SEND_ARGS, hitlParameters: {} } }] },
			{ content: 'Done. Tool said: {{last}}' },
		]),
		node(REVIEW, HITL_TYPE, 1, {
			approvers: APPROVER,
			notifyInbox: sandboxInbox(),
			requestedBy: 'Refund agent (AI, e2e)',
			limitAmount: 1,
			limitUnit: 'hours',
			options: {},
			...reviewParameters,
		}, { credentials: { agentMailApi: { id: credential.id, name: credential.name } }, webhookId: randomUUID() }),
		agentMailTool(SEND, {
			resource: 'message',
			operation: 'send',
			inboxId: sandboxInbox(),
			to: fromAI('to', 'Recipient email address'),
			subject: fromAI('subject', 'Subject line'),
			text: fromAI('text', 'Plain-text body'),
			additionalFields: { cc: 'audit@example.com' },
		}),
	]);
	return {
		nodes,
		connections: {
			[webhook.name]: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
			[MODEL]: { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] },
			[REVIEW]: { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] },
			[SEND]: { ai_tool: [[{ node: REVIEW, type: 'ai_tool', index: 0 }]] },
		},
	};
}

/** Webhook -> AI Agent with the plain AgentMail tool Create Draft ($fromAI parameters, no review). */
function draftAgentWorkflow(webhook: WorkflowNode): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	const nodes = layout([
		webhook,
		agentNode(),
		modelNode([
			{
				toolCalls: [
					{
						name: 'Create_Draft',
						args: { to: 'jane@example.com', subject: 'Draft from the agent', text: 'Hi Jane, here is the summary.' },
					},
				],
			},
			{ content: 'Draft ready. Tool said: {{last}}' },
		]),
		agentMailTool(DRAFT, {
			resource: 'draft',
			operation: 'create',
			inboxId: sandboxInbox(),
			to: fromAI('to', 'Recipient email address'),
			subject: fromAI('subject', 'Subject line'),
			text: fromAI('text', 'Plain-text body'),
		}),
	]);
	return {
		nodes,
		connections: {
			[webhook.name]: { main: [[{ node: AGENT, type: 'main', index: 0 }]] },
			[MODEL]: { ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]] },
			[DRAFT]: { ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]] },
		},
	};
}

async function customerMail(): Promise<OutboxMessage[]> {
	return (await sandboxOutbox()).filter((message) => message.to?.includes('customer@example.com'));
}

interface Started {
	executionId: string;
	link: string;
	notification: OutboxMessage;
}

/** Trigger the agent; the approver's email arrives with the review link; the execution parks. */
async function startAgent(wf: WebhookWorkflow, prompt: string): Promise<Started> {
	const before = new Set((await sandboxOutbox()).map((message) => message.message_id));
	const response = await callWebhook(wf.path, { body: { prompt } });
	expect(response.status).toBe(200);
	const notification = await eventually(
		async () =>
			(await sandboxOutbox()).find((message) => !before.has(message.message_id) && message.to?.includes(APPROVER)),
		{ what: 'the review notification', timeoutMs: 60_000 },
	);
	const match = REVIEW_LINK.exec(String(notification.text));
	if (!match) throw new Error(`no review link in the notification:\n${notification.text}`);
	await api.waitForExecution(match[1], 'waiting', { timeoutMs: 30_000 });
	return { executionId: match[1], link: match[0], notification };
}

async function click(page: Page, selector: string): Promise<number> {
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
		page.click(selector),
	]);
	await page.waitForLoadState('domcontentloaded');
	return response.status();
}

async function finished(executionId: string): Promise<Execution> {
	return await api.waitForExecution(executionId, ['success', 'error', 'crashed', 'canceled'], { timeoutMs: 60_000 });
}

let reviewed: WebhookWorkflow;
/** Started first: a 1-minute review nobody decides (n8n's wait tracker polls every 60 s, so it ends 1-3 minutes later). */
const expiry: { started?: Started; at?: number } = {};

beforeAll(async () => {
	recordFile = path.join(e2eState().n8n.runDir, `scripted-model-${Date.now()}.jsonl`);
	credential = await createAgentMailCredential(api);
	browser = await launchBrowser();
	const expiring = await createWebhookWorkflow(api, 'AI agent with an expiring review', (webhook) =>
		reviewedAgentWorkflow(webhook, { limitAmount: 1, limitUnit: 'minutes' }),
	);
	workflowIds.push(expiring.workflow.id);
	expiry.started = await startAgent(expiring, 'Tell the customer about refund 77 (nobody will review this)');
	expiry.at = Date.now();
	reviewed = await createWebhookWorkflow(api, 'AI agent with human review', reviewedAgentWorkflow);
	workflowIds.push(reviewed.workflow.id);
}, 120_000);

afterAll(async () => {
	await browser?.close();
	for (const id of workflowIds) await api.deleteWorkflow(id).catch(() => undefined);
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	fs.writeFileSync(path.join(ARTIFACTS_DIR, 'ai-agent-e2e-observations.json'), `${JSON.stringify(observations, null, 2)}\n`);
});

describe('AI Agent: AgentMail as human review of tool calls', () => {
	it('n8n lists the package\'s Human review variant in /types/nodes.json', async () => {
		const types = await loadedNodeTypes(e2eState().n8n);
		const hitl = types.find((type) => type.name === HITL_TYPE) as (typeof types)[number] & Record<string, unknown>;
		expect(hitl).toBeDefined();
		expect(types.map((type) => type.name)).toContain(`${PACKAGE}.agentMailWaitForApproval`);
		observations.hitlType = { name: hitl.name, displayName: hitl.displayName, codex: hitl.codex, outputs: hitl.outputs };
		expect(JSON.stringify(hitl.codex)).toContain('Human in the Loop');
	});

	it('approve in Chromium: n8n runs Send Message with the agent\'s parameters, exactly one email goes out', async () => {
		const mailBefore = (await customerMail()).length;
		const started = await startAgent(reviewed, 'Tell the customer about refund 1042');
		const content = `${started.notification.subject}\n${started.notification.text}\n${started.notification.html}`;
		expect(started.notification.subject).toBe('Approval needed: AI agent tool call "Send_Message"');
		expect(content).toContain('Refund agent (AI, e2e)');
		// Never the tool's input in the notification.
		for (const secret of ['customer@example.com', 'refund of $42', 'Your refund for order']) expect(content).not.toContain(secret);
		expect(await customerMail()).toHaveLength(mailBefore);

		const context = await browser.newContext({ viewport: { width: 1100, height: 1100 } });
		const page = await context.newPage();
		const dialogs: string[] = [];
		page.on('dialog', (dialog) => {
			dialogs.push(dialog.message());
			void dialog.dismiss().catch(() => undefined);
		});
		const opened = await page.goto(started.link);
		expect(opened?.status()).toBe(200);
		const text = await page.locator('body').innerText();
		expect(text).toContain('Tool: Send_Message');
		expect(text).toContain('The email as it would go out (Message: Send)');
		expect(text).toContain('customer@example.com');
		expect(text).toContain('audit@example.com');
		expect(text).toContain('Your refund for order 1042');
		expect(text).toContain("exactly the agent's input");
		await saveScreenshot(page, 'ai-agent-review-page');
		expect(await click(page, 'button[value="approve"]')).toBe(200);
		expect(await page.locator('body').innerText()).toContain('Decision recorded');
		await saveScreenshot(page, 'ai-agent-review-approved');
		await context.close();
		expect(dialogs).toEqual([]);

		const execution = await finished(started.executionId);
		expect(execution.status).toBe('success');
		expect(ranNodes(execution)).toEqual(expect.arrayContaining([AGENT, REVIEW, SEND]));
		const sent = await eventually(async () => {
			const mail = await customerMail();
			return mail.length > mailBefore ? mail : undefined;
		}, { what: 'the customer email' });
		expect(sent).toHaveLength(mailBefore + 1);
		const [email] = sent.slice(mailBefore);
		expect(email).toMatchObject({ to: ['customer@example.com'], cc: ['audit@example.com'], subject: SEND_ARGS.subject, text: SEND_ARGS.text });

		const calls = modelCalls(started.executionId);
		expect(calls.map((call) => call.turn)).toEqual([0, 1]);
		expect(calls[0].tools).toEqual(['Send_Message']);
		const toolResult = calls[1].messages.find((message) => message.type === 'tool');
		expect(toolResult?.content).toContain(String(email.message_id));
		const agentOutput = execution.data?.resultData.runData[AGENT]?.slice(-1)[0]?.data?.main?.[0]?.[0]?.json;
		observations.approved = { toolResultForModel: toolResult?.content, agentOutput, email: { to: email.to, cc: email.cc, subject: email.subject } };

		// A late click on the decided link: n8n's "no action required" page, nothing more is sent.
		const late = await httpRequest(started.link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=reject&reason=late&tool_call=x' });
		observations.lateClickStatus = late.status;
		expect(late.status).toBeLessThan(500);
		expect(await customerMail()).toHaveLength(mailBefore + 1);
	}, 180_000);

	it('link scanners x GET/HEAD decide nothing; reject with a reason: nothing is sent and the agent\'s next model call gets the reason', async () => {
		const mailBefore = (await customerMail()).length;
		const started = await startAgent(reviewed, 'Tell the customer about refund 1042 (second try)');
		const statuses: Record<string, number[]> = {};
		for (const [name, userAgent] of Object.entries(SCANNERS)) {
			for (const method of ['GET', 'HEAD', 'GET']) {
				const result = await httpRequest(started.link, { method, headers: { 'user-agent': userAgent, accept: 'text/html,*/*;q=0.8' } });
				(statuses[name] ??= []).push(result.status);
				expect(result.status).toBeLessThan(500);
			}
		}
		observations.scannerStatuses = statuses;
		const stillWaiting = await api.getExecution(started.executionId, { includeData: false });
		expect(stillWaiting.status).toBe('waiting');
		expect(await customerMail()).toHaveLength(mailBefore);
		expect(modelCalls(started.executionId)).toHaveLength(1);

		const reason = 'Wrong amount: the refund is $24, not $42. Fix it and ask again.';
		const context = await browser.newContext({ viewport: { width: 1100, height: 1100 } });
		const page = await context.newPage();
		await page.goto(started.link);
		expect(await click(page, 'button[value="reject"]')).toBe(400); // a reason is required
		expect(await page.locator('body').innerText()).toContain('Enter a reason for the rejection');
		await page.fill('#reviewer', 'lead@example.com');
		await page.fill('#reason', reason);
		await saveScreenshot(page, 'ai-agent-review-reject-reason');
		expect(await click(page, 'button[value="reject"]')).toBe(200);
		await saveScreenshot(page, 'ai-agent-review-rejected');
		await context.close();

		const execution = await finished(started.executionId);
		expect(execution.status).toBe('success');
		expect(ranNodes(execution)).not.toContain(SEND);
		expect(await customerMail()).toHaveLength(mailBefore);

		const calls = modelCalls(started.executionId);
		expect(calls.map((call) => call.turn)).toEqual([0, 1]);
		const feedback = calls[1].messages.find((message) => message.type === 'tool');
		expect(feedback?.content).toContain(reason);
		observations.rejected = { toolResultForModel: feedback?.content };
	}, 180_000);
});

describe('AI Agent: the plain AgentMail tool', () => {
	it('the agent\'s $fromAI arguments create a draft; the model gets the tool\'s output', async () => {
		const wf = await createWebhookWorkflow(api, 'AI agent drafting', draftAgentWorkflow);
		workflowIds.push(wf.workflow.id);
		const { execution } = await wf.run({ prompt: 'Draft a summary for Jane' });
		expect(execution.status).toBe('success');
		const calls = modelCalls(String(execution.id));
		expect(calls.map((call) => call.turn)).toEqual([0, 1]);
		expect(calls[0].tools).toEqual(['Create_Draft']);
		const toolResult = calls[1].messages.find((message) => message.type === 'tool');
		const draftId = /"draft_id":"([^"]+)"/.exec(String(toolResult?.content))?.[1];
		expect(draftId).toBeDefined();
		const draft = await sandboxDraft(String(draftId));
		expect(draft.data).toMatchObject({ to: ['jane@example.com'], subject: 'Draft from the agent', text: 'Hi Jane, here is the summary.' });
		observations.plainTool = { toolResultForModel: toolResult?.content, length: String(toolResult?.content).length };
	}, 120_000);
});

describe('AI Agent: a review nobody decides', () => {
	it('expires: the tool does not run, nothing is sent, and the agent\'s next model call is told the review expired', async () => {
		const started = expiry.started!;
		const execution = await api.waitForExecution(started.executionId, ['success', 'error', 'crashed', 'canceled'], {
			timeoutMs: 240_000,
			intervalMs: 1000,
		});
		expect(execution.status).toBe('success');
		expect(ranNodes(execution)).not.toContain(SEND);
		// Only the approved run's email carries the agent's subject: neither the rejected nor the expired call sent one.
		expect((await sandboxOutbox()).filter((message) => message.subject === SEND_ARGS.subject)).toHaveLength(1);
		const calls = modelCalls(started.executionId);
		expect(calls.map((call) => call.turn)).toEqual([0, 1]);
		const denial = calls[1].messages.find((message) => message.type === 'tool');
		expect(denial?.content).toMatch(/review expired at .*; the tool was not run/);
		const late = await httpRequest(started.link, { method: 'GET' });
		observations.expired = {
			toolResultForModel: denial?.content,
			endedAfterSeconds: Math.round((Date.now() - expiry.at!) / 1000),
			linkAfterwards: late.status,
		};
	}, 300_000);
});
