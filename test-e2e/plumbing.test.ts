/**
 * Proves the e2e machinery itself, with a tiny fixture community package
 * (test-e2e/fixtures/n8n-nodes-e2e-fixture) instead of the real nodes:
 * the package is installed the way n8n's Community Nodes screen does it and
 * loaded, a credential of a community type is created through the public
 * API and reaches the node, a webhook-triggered workflow runs it, a Wait node
 * execution parks and resumes through $execution.resumeUrl, and headless
 * Chromium renders an n8n page.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';

import { launchBrowser, saveScreenshot } from './helpers/browser';
import { e2eState, uniqueSuffix } from './helpers/env';
import { N8nApi, loadedNodeTypes, nodeOutput, type Workflow, type WorkflowInput } from './helpers/n8nApi';
import { callWebhook, httpRequest } from './helpers/webhook';

const FIXTURE_PACKAGE = 'n8n-nodes-e2e-fixture';
const FIXTURE_NODE_TYPE = `${FIXTURE_PACKAGE}.e2eFixture`;
const FIXTURE_CREDENTIAL_TYPE = 'e2eFixtureApi';

/** Webhook -> Fixture -> Respond (execution id + resume URL) -> Wait (resume on GET) -> After. */
function waitWorkflow(path: string, credential: { id: string; name: string }): WorkflowInput {
	return {
		name: `plumbing ${path}`,
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
			},
			{
				name: 'Fixture',
				type: FIXTURE_NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { message: '={{ "hello " + $json.body.who }}' },
				credentials: { [FIXTURE_CREDENTIAL_TYPE]: credential },
			},
			{
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.4,
				position: [400, 0],
				parameters: {
					respondWith: 'json',
					options: {},
					responseBody:
						'={{ JSON.stringify({ executionId: $execution.id, resumeUrl: $execution.resumeUrl, fixture: $json.fixture }) }}',
				},
			},
			{
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [600, 0],
				webhookId: randomUUID(),
				parameters: { resume: 'webhook', httpMethod: 'GET', options: {} },
			},
			{
				name: 'After',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [800, 0],
				parameters: {
					options: {},
					assignments: {
						assignments: [{ id: 'answer', name: 'answer', type: 'string', value: '={{ $json.query.answer }}' }],
					},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Fixture', type: 'main', index: 0 }]] },
			Fixture: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
			Respond: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	};
}

describe('e2e plumbing: real n8n with a community package', () => {
	const api = N8nApi.fromE2eState();
	const created: { workflows: string[]; credentials: string[] } = { workflows: [], credentials: [] };

	afterAll(async () => {
		for (const id of created.workflows) await api.deleteWorkflow(id).catch(() => undefined);
		for (const id of created.credentials) await api.deleteCredential(id).catch(() => undefined);
	});

	it('loads the fixture package from .n8n/nodes/node_modules as PACKAGE.nodeName', async () => {
		expect(e2eState().packages).toHaveProperty(FIXTURE_PACKAGE, '1.0.0');
		const types = await loadedNodeTypes();
		const fixture = types.find((t) => t.name === FIXTURE_NODE_TYPE);
		expect(fixture).toMatchObject({ displayName: 'E2E Fixture', credentials: [{ name: FIXTURE_CREDENTIAL_TYPE }] });
	});

	it('exposes the community credential schema in the public API', async () => {
		const schema = await api.getCredentialSchema(FIXTURE_CREDENTIAL_TYPE);
		expect(schema).toMatchObject({
			type: 'object',
			properties: {
				apiKey: { type: 'string' },
				region: { type: 'string', enum: ['us', 'eu', 'custom'] },
				baseUrl: { type: 'string' },
			},
			required: ['apiKey'],
		});
	});

	describe('a webhook-triggered workflow with a Wait node', () => {
		let workflow: Workflow;
		let executionId: string;
		let resumeUrl: string;

		beforeAll(async () => {
			const credential = await api.createCredential({
				name: `fixture ${uniqueSuffix()}`,
				type: FIXTURE_CREDENTIAL_TYPE,
				data: { apiKey: 'am_fixture_key', region: 'custom', baseUrl: 'http://127.0.0.1:9/fixture' },
			});
			created.credentials.push(credential.id);
			workflow = await api.createAndActivate(waitWorkflow(`plumbing-${uniqueSuffix()}`, credential));
			created.workflows.push(workflow.id);
		});

		it('is active after publishing', () => {
			expect(workflow.active).toBe(true);
		});

		it('runs the community node with its decrypted credential and answers the webhook', async () => {
			const path = (workflow.nodes[0].parameters as { path: string }).path;
			const response = await callWebhook(path, { body: { who: 'e2e' } });
			expect(response.status).toBe(200);
			const body = response.json as {
				executionId: string;
				resumeUrl: string;
				fixture: { ok: boolean; message: string; credential: Record<string, unknown> };
			};
			expect(body.fixture).toEqual({
				ok: true,
				message: 'hello e2e',
				credential: { region: 'custom', baseUrl: 'http://127.0.0.1:9/fixture', apiKeyLength: 14 },
			});
			executionId = body.executionId;
			resumeUrl = body.resumeUrl;
			// N8N_WEBHOOK_URL makes the resume URL point at this very n8n.
			expect(resumeUrl).toBe(`${e2eState().n8n.url}/webhook-waiting/${executionId}?signature=${new URL(resumeUrl).searchParams.get('signature')}`);
		});

		it('parks the execution as waiting, with no expiry', async () => {
			const execution = await api.waitForExecution(executionId, 'waiting');
			expect(execution.workflowId).toBe(workflow.id);
			expect(execution.waitTill).toBe('3000-01-01T00:00:00.000Z');
		});

		it('is not resumed by HEAD requests (link scanners) or unsigned URLs', async () => {
			const head = await httpRequest(resumeUrl, { method: 'HEAD' });
			expect(head.status).toBe(404);
			const unsigned = await httpRequest(`${e2eState().n8n.url}/webhook-waiting/${executionId}?answer=x`);
			expect(unsigned.status).toBe(401);
			expect((await api.getExecution(executionId, { includeData: false })).status).toBe('waiting');
		});

		it('resumes through the signed resume URL and finishes', async () => {
			const url = new URL(resumeUrl);
			url.searchParams.set('answer', '42');
			const resumed = await httpRequest(url.toString());
			expect(resumed.status).toBe(200);
			const execution = await api.waitForExecution(executionId, 'success');
			expect(nodeOutput(execution, 'After')).toEqual([{ answer: '42' }]);
			expect(nodeOutput(execution, 'Fixture')[0]).toMatchObject({ body: { who: 'e2e' }, fixture: { ok: true } });
		});

		it('refuses a second resume of the finished execution', async () => {
			const again = await httpRequest(resumeUrl);
			expect(again.status).toBe(409);
		});
	});

	it('renders the n8n sign-in page in headless Chromium', async () => {
		const browser = await launchBrowser();
		try {
			const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
			await page.goto(`${e2eState().n8n.url}/signin`, { waitUntil: 'domcontentloaded' });
			await page.getByRole('button', { name: /sign in/i }).waitFor({ timeout: 60_000 });
			await page.locator('input[type="email"], input[name="emailOrLdapLoginId"]').first().waitFor();
			const file = await saveScreenshot(page, 'n8n-signin');
			expect(fs.statSync(file).size).toBeGreaterThan(10_000);
		} finally {
			await browser.close();
		}
	});
});
