/**
 * The shipped agent loop, examples/reply-agent.json, imported into a real n8n
 * (only the credentials and the watched inbox swapped: the agent's draft-only
 * key, allowed to manage webhooks, for the trigger and Create Draft, the
 * approver's key for Wait for Approval, as README "Keep the agent from
 * sending" sets them up) and run end to end:
 * the sandbox receives mail -> AgentMail Trigger (webhook) -> Code node drafts
 * the reply -> Create Draft with In Reply To -> Wait for Approval emails a
 * review link -> a reviewer approves in headless Chromium -> the reply is
 * sent once, in the thread of the customer's mail, and starts no new execution.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';

import {
	N8nApi,
	agentMailSandbox,
	createAgentMailCredential,
	launchBrowser,
	nodeOutput,
	saveScreenshot,
	type Credential,
	type WorkflowNode,
} from './helpers';
import { AGENT_CREDENTIAL_NAME, AGENT_PERMISSIONS, APPROVER_CREDENTIAL_NAME, APPROVER_PERMISSIONS, TRIGGER_PERMISSIONS } from '../scripts/lib/keyRoles';
import { SandboxClient, eventually, resetSandbox, sandboxApi, sandboxInbound, sandboxOutbox } from './helpers/sandboxAdmin';
import { REVIEW_LINK } from './helpers/reviewLink';

const api = N8nApi.fromE2eState();
const EXAMPLE = path.join(__dirname, '..', 'examples', 'reply-agent.json');
const TRIGGER_TYPE = 'n8n-nodes-agentmail-hitl.agentMailTrigger';

const credentials: Record<string, Credential> = {};
let browser: Browser;
const workflowIds: string[] = [];

beforeAll(async () => {
	await resetSandbox();
	const { url } = agentMailSandbox();
	const agentKey = await new SandboxClient(agentMailSandbox()).createKey('reply agent (e2e)', [...AGENT_PERMISSIONS, ...TRIGGER_PERMISSIONS]);
	const approverKey = await new SandboxClient(agentMailSandbox()).createKey('reply approver (e2e)', APPROVER_PERMISSIONS);
	credentials[AGENT_CREDENTIAL_NAME] = await createAgentMailCredential(api, { name: 'Reply agent e2e', apiKey: agentKey, baseUrl: url });
	credentials[APPROVER_CREDENTIAL_NAME] = await createAgentMailCredential(api, { name: 'Reply approver e2e', apiKey: approverKey, baseUrl: url });
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	for (const id of workflowIds) await api.deleteWorkflow(id).catch(() => undefined);
	for (const credential of Object.values(credentials)) await api.deleteCredential(credential.id).catch(() => undefined);
	await browser?.close();
});

it('customer mail -> drafted reply -> approved in Chromium -> the reply is delivered once, in the same thread', async () => {
	const inbox = agentMailSandbox().inboxId;
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as { nodes: WorkflowNode[] };
	const nodes = example.nodes.map((node) => {
		const role = node.credentials?.agentMailApi?.name;
		const credential = role ? credentials[role] : undefined;
		if (role && !credential) throw new Error(`examples/reply-agent.json: node ${node.name} uses an unknown credential ${role}`);
		const swapped = credential ? { ...node, credentials: { agentMailApi: { id: credential.id, name: credential.name } } } : node;
		return node.type === TRIGGER_TYPE ? { ...swapped, parameters: { ...swapped.parameters, inboxIds: [inbox] } } : swapped;
	});
	const workflow = await api.importWorkflowFile(EXAMPLE, { nodes });
	workflowIds.push(workflow.id);
	await api.activateWorkflow(workflow.id);
	await eventually(async () => ((await sandboxApi<{ webhooks: unknown[] }>('GET', '/webhooks')).data?.webhooks ?? []).length === 1, {
		what: 'the AgentMail webhook of the example',
	});

	const mail = await sandboxInbound({
		from: 'Jordan Customer <jordan@example.com>',
		subject: 'Where is my order?',
		text: 'Order 1234 has not arrived yet.',
	});
	const notification = await eventually(
		async () => (await sandboxOutbox()).find((m) => m.subject?.startsWith('Approval needed') && m.to?.includes('ops@agentmail.to')),
		{ what: "the example's approval request", timeoutMs: 30_000 },
	);
	const link = REVIEW_LINK.exec(String(notification.text))?.[0];
	expect(link).toBeTruthy();
	const executionId = REVIEW_LINK.exec(link!)![1];
	await api.waitForExecution(executionId, 'waiting', { timeoutMs: 30_000 });

	const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
	try {
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (error) => errors.push(error.message));
		expect((await page.goto(link!, { waitUntil: 'load' }))?.status()).toBe(200);
		// the Code node's draft, addressed back to the customer, subject derived from the thread
		await expect(page.locator('pre').first().textContent()).resolves.toContain(
			'Hi Jordan Customer,\n\nthanks for your message about "Where is my order?"',
		);
		await expect(page.locator('input[name="to_0"]').inputValue()).resolves.toContain('jordan@example.com');
		await expect(page.locator('input[name="subject_0"]').inputValue()).resolves.toBe('Re: Where is my order?');
		await page.fill('input[name="reviewer"]', 'Dana (ops)');
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
			page.click('button[name="decision"][value="approve"]'),
		]);
		await page.waitForLoadState('domcontentloaded');
		await expect(page.locator('h1').textContent()).resolves.toBe('Decision recorded');
		await saveScreenshot(page, 'reply-agent-approved');
		expect(errors).toEqual([]);
	} finally {
		await context.close();
	}

	const execution = await api.waitForExecution(executionId, 'success', { timeoutMs: 30_000 });
	const [trigger] = nodeOutput(execution, 'Customer Wrote');
	expect(trigger).toMatchObject({ event_type: 'message.received', message_id: mail.message_id, thread_id: mail.thread_id });
	const replies = (await sandboxOutbox()).filter((m) => m.via === 'draft' && m.subject === 'Re: Where is my order?');
	expect(replies).toHaveLength(1);
	expect(replies[0]).toMatchObject({
		thread_id: mail.thread_id,
		in_reply_to: mail.message_id,
		to: [expect.stringContaining('jordan@example.com')],
	});
	// AgentMail reports it delivered, in the thread (the customer's address is outside the sandbox)
	const { events } = (await (await fetch(`${agentMailSandbox().url}/_sandbox/events`)).json()) as {
		events: Array<{ event: { event_type: string; delivery?: { message_id: string; thread_id: string; recipients: string[] } } }>;
	};
	const deliveries = events.map((e) => e.event).filter((e) => e.event_type === 'message.delivered' && e.delivery?.message_id === replies[0].message_id);
	expect(deliveries.map((e) => e.delivery)).toEqual([
		expect.objectContaining({ thread_id: mail.thread_id, recipients: ['jordan@example.com'] }),
	]);
	// the inbox's thread holds the customer's mail and the reply, nothing else
	const listed = await sandboxApi<{ messages: Array<{ message_id: string; thread_id: string }> }>(
		'GET',
		`/inboxes/${encodeURIComponent(inbox)}/messages?ascending=true`,
	);
	expect(listed.data!.messages.filter((m) => m.thread_id === mail.thread_id).map((m) => m.message_id)).toEqual([
		mail.message_id,
		replies[0].message_id,
	]);
	// the agent's own reply starts nothing (message.sent is not selected, and the loop guard)
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await api.listExecutions({ workflowId: workflow.id })).toHaveLength(1);

	await api.deactivateWorkflow(workflow.id);
});
