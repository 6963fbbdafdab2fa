/**
 * README "Keep the agent from sending", in a real n8n 2.41.1: the agent's
 * credential holds a sandbox key that drafts but has no draft_send or
 * message_send; the approver's credential, used only by Wait for Approval,
 * holds one that sends.
 *
 *   Webhook -> AgentMail Send Message (agent credential)        -> 403 missing_permission, nothing sent
 *   Webhook -> AgentMail Create Draft (agent credential)
 *           -> Wait for Approval (approver credential, email)   -> approved in Chromium -> sent once
 *
 * The keys are made with POST /_sandbox/api-keys, with the permission sets
 * `npm start` gives its two demo keys (scripts/lib/keyRoles.ts).
 */
import type { Browser } from 'playwright-core';

import {
	N8nApi,
	agentMailSandbox,
	callWebhook,
	createAgentMailCredential,
	launchBrowser,
	nodeOutput,
	saveScreenshot,
	type Credential,
} from './helpers';
import { AGENT_PERMISSIONS, APPROVER_PERMISSIONS } from '../scripts/lib/keyRoles';
import { SandboxClient, eventually, resetSandbox, sandboxOutbox, sandboxRequests } from './helpers/sandboxAdmin';
import {
	agentMailNode,
	approvalNode,
	chain,
	connect,
	createWebhookWorkflow,
	layout,
	nodeError,
	ranNodes,
	sandboxInbox,
	setNode,
	type WebhookWorkflow,
} from './helpers/workflows';
import { REVIEW_LINK } from './helpers/reviewLink';

const api = N8nApi.fromE2eState();
const APPROVER = 'ops@example.com';

let agent: Credential;
let approver: Credential;
let agentKey: string;
let browser: Browser;
const workflowIds: string[] = [];

beforeAll(async () => {
	await resetSandbox();
	const { url } = agentMailSandbox();
	agentKey = await new SandboxClient(agentMailSandbox()).createKey('agent (e2e)', AGENT_PERMISSIONS);
	const approverKey = await new SandboxClient(agentMailSandbox()).createKey('approver (e2e)', APPROVER_PERMISSIONS);
	agent = await createAgentMailCredential(api, { name: `AgentMail agent (draft only) e2e`, apiKey: agentKey, baseUrl: url });
	approver = await createAgentMailCredential(api, { name: `AgentMail approver (can send) e2e`, apiKey: approverKey, baseUrl: url });
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	for (const id of workflowIds) await api.deleteWorkflow(id).catch(() => undefined);
	for (const credential of [agent, approver]) if (credential) await api.deleteCredential(credential.id).catch(() => undefined);
});

describe('the agent credential (draft only)', () => {
	let sender: WebhookWorkflow;

	beforeAll(async () => {
		sender = await createWebhookWorkflow(api, 'e2e agent sends', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Send Message', agent, {
					resource: 'message',
					operation: 'send',
					inboxId: sandboxInbox(),
					to: '={{ $json.body.to }}',
					subject: '={{ $json.body.subject }}',
					text: '={{ $json.body.text }}',
				}),
			]),
			connections: connect(chain('Webhook', 'Send Message')),
		}));
		workflowIds.push(sender.workflow.id);
	});

	it('calling Send Message fails with 403 missing_permission that explains the two credentials, and nothing is sent', async () => {
		const subject = 'Agent tries to send [p]';
		const { execution } = await sender.run({ to: 'customer@example.com', subject, text: 'Refund approved (says the agent).' });
		expect(execution.status).toBe('error');
		const error = nodeError(execution, 'Send Message');
		expect(error?.message).toBe('AgentMail 403 missing_permission: Forbidden');
		expect(String(error?.description)).toContain('`message_send`');
		expect(String(error?.description)).toMatch(/second credential whose key can send .* Wait for Approval/);
		expect((await sandboxOutbox()).filter((m) => m.subject === subject)).toEqual([]);
		const sends = (await sandboxRequests()).filter((r) => r.method === 'POST' && String(r.decoded_path).endsWith('/messages/send'));
		expect(sends.map((r) => r.status)).toEqual([403]); // one attempt, refused, not retried
	});
});

describe('the agent drafts, the approver credential sends after approval in Chromium', () => {
	let flow: WebhookWorkflow;
	const subject = 'Refund for order 2001 [p]';

	beforeAll(async () => {
		flow = await createWebhookWorkflow(api, 'e2e agent drafts, approver sends', (webhook) => ({
			nodes: layout([
				webhook,
				agentMailNode('Agent Drafts Reply', agent, {
					resource: 'draft',
					operation: 'create',
					inboxId: sandboxInbox(),
					to: '={{ $json.body.to }}',
					subject: '={{ $json.body.subject }}',
					text: '={{ $json.body.text }}',
				}),
				approvalNode('Wait for Approval', approver, {
					notification: 'email',
					approvers: APPROVER,
					notifyInbox: sandboxInbox(),
					requestedBy: 'Refund agent (e2e)',
				}),
				setNode('Approved', { status: '={{ $json.decision.status }}', message_id: '={{ $json.message_id }}' }),
				setNode('Rejected', { status: '={{ $json.decision.status }}' }),
			]),
			connections: connect([
				['Webhook', 0, 'Agent Drafts Reply'],
				['Agent Drafts Reply', 0, 'Wait for Approval'],
				['Wait for Approval', 0, 'Approved'],
				['Wait for Approval', 1, 'Rejected'],
			]),
		}));
		workflowIds.push(flow.workflow.id);
	});

	it('the draft made with the agent key is approved in the browser and sent once with the approver key', async () => {
		const response = await callWebhook(flow.path, { body: { to: 'customer@example.com', subject, text: 'We refund $42 to your card.' } });
		expect(response.status).toBe(200);
		const notification = await eventually(
			async () => (await sandboxOutbox()).find((m) => m.subject === `Approval needed: ${subject}`),
			{ what: 'the approval request' },
		);
		expect(notification.to).toEqual([APPROVER]);
		const link = REVIEW_LINK.exec(String(notification.text))![0];
		const executionId = REVIEW_LINK.exec(link)![1];
		const waiting = await api.waitForExecution(executionId, 'waiting', { timeoutMs: 30_000 });
		const [draft] = nodeOutput(waiting, 'Agent Drafts Reply');
		expect((await sandboxOutbox()).filter((m) => m.subject === subject)).toEqual([]);

		const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
		try {
			const page = await context.newPage();
			expect((await page.goto(link, { waitUntil: 'load' }))?.status()).toBe(200);
			await expect(page.locator('input[name="subject_0"]').inputValue()).resolves.toBe(subject);
			await page.fill('input[name="reviewer"]', 'Dana (ops)');
			const [decided] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
				page.click('button[name="decision"][value="approve"]'),
			]);
			expect(decided.status()).toBe(200);
			await page.waitForLoadState('domcontentloaded');
			await expect(page.locator('body').textContent()).resolves.toContain('Decision recorded');
			await saveScreenshot(page, 'permissions-approved');
		} finally {
			await context.close();
		}

		const execution = await api.waitForExecution(executionId, 'success', { timeoutMs: 30_000 });
		expect(ranNodes(execution)).not.toContain('Rejected');
		const sent = (await sandboxOutbox()).filter((m) => m.subject === subject);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ via: 'draft', draft_id: draft.draft_id, to: ['customer@example.com'] });
		expect(nodeOutput(execution, 'Approved')).toEqual([{ status: 'approved', message_id: sent[0].message_id }]);

		// Who did what: the agent's key only drafted, the draft send came with the approver's key.
		const refused = (await sandboxRequests()).filter((r) => r.status === 403);
		expect(refused.map((r) => `${r.method} ${String(r.decoded_path).split('/').slice(-2).join('/')}`)).toEqual(['POST messages/send']);
		const again = await new SandboxClient({ ...agentMailSandbox(), apiKey: agentKey }).api('POST', `/inboxes/${encodeURIComponent(agentMailSandbox().inboxId)}/messages/send`, {
			to: 'customer@example.com',
			text: 'x',
		});
		expect([again.status, (again.data as { code?: string }).code]).toEqual([403, 'missing_permission']);
	});
});
