/**
 * Tests of the harness itself, against the fixture package in
 * fixtures/fixture-package and a local HTTP server (fixtures/http-server.ts).
 */
import { join } from 'node:path';

import { WAIT_INDEFINITELY } from 'n8n-workflow';
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import type { FixtureApiServer } from './fixtures/http-server';
import { startFixtureApiServer } from './fixtures/http-server';
import type { HarnessRun, LoadedPackage, WorkflowInput } from './index';
import {
	HARNESS_BASE_URL,
	MANUAL_TRIGGER_TYPE,
	activeExpressionEngine,
	callWaitingWebhook,
	expireWait,
	loadPackage,
	loadRunExecutionData,
	runWorkflow,
	shutdownHarness,
	testCredential,
} from './index';

const FIXTURE_DIR = join(__dirname, 'fixtures', 'fixture-package');

let pkg: LoadedPackage;
let api: FixtureApiServer;

beforeAll(async () => {
	pkg = await loadPackage(FIXTURE_DIR);
	api = await startFixtureApiServer();
});

afterAll(async () => {
	await api.close();
	await shutdownHarness();
});

beforeEach(() => api.reset());

type NodeSpec = Partial<INode> & Pick<INode, 'name' | 'type'>;

/** Start -> n1 -> n2 -> ... (each on output 0 / input 0) */
function chain(...nodes: NodeSpec[]): WorkflowInput {
	const all: NodeSpec[] = [{ name: 'Start', type: MANUAL_TRIGGER_TYPE }, ...nodes];
	const connections: IConnections = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes: all, connections };
}

const apiCredentials = () => ({ fixtureApi: { apiKey: 'secret-key', baseUrl: api.url } });

describe('loadPackage', () => {
	it('loads the package through PackageDirectoryLoader with package-prefixed node types', () => {
		expect(pkg.packageName).toBe('n8n-nodes-harness-fixture');
		expect(pkg.nodeTypeNames.sort()).toEqual([
			'n8n-nodes-harness-fixture.fixtureFlaky',
			'n8n-nodes-harness-fixture.fixtureHttp',
			'n8n-nodes-harness-fixture.fixtureSet',
			'n8n-nodes-harness-fixture.fixtureWait',
		]);
		expect(pkg.credentialTypeNames).toEqual(['fixtureApi']);
		expect(pkg.credentialTypes.getSupportedNodes('fixtureApi')).toEqual([
			'n8n-nodes-harness-fixture.fixtureHttp',
		]);
		expect(pkg.nodeTypes.getByNameAndVersion(MANUAL_TRIGGER_TYPE, 1).description.inputs).toEqual([]);
		// the loader adds the community package version like n8n does
		expect(
			pkg.nodeTypes.getByNameAndVersion(pkg.nodeType('fixtureWait'), 1).description
				.communityNodePackageVersion,
		).toBe('0.0.1');
	});

	it('uses the server default expression engine (isolated-vm)', () => {
		expect(activeExpressionEngine()).toBe(process.env.N8N_EXPRESSION_ENGINE ?? 'vm');
	});
});

describe('runWorkflow', () => {
	it('sends the Bearer header from the credential authenticate block, per item, with expressions resolved', async () => {
		const run = await runWorkflow({
			package: pkg,
			items: [{ draft_id: 'd-1' }, { draft_id: 'd-2' }],
			credentials: apiCredentials(),
			workflow: chain({
				name: 'Send',
				type: pkg.nodeType('fixtureHttp'),
				parameters: { path: '/drafts/send', draftId: '={{ $json.draft_id }}' },
			}),
		});

		expect(run.status).toBe('success');
		expect(api.requests).toHaveLength(2);
		expect(api.requests.map((r) => r.headers.authorization)).toEqual([
			'Bearer secret-key',
			'Bearer secret-key',
		]);
		expect(api.requests.map((r) => r.body)).toEqual([{ draft_id: 'd-1' }, { draft_id: 'd-2' }]);
		expect(run.output('Send')).toEqual([
			{ json: { sent: true, draft_id: 'd-1' }, pairedItem: { item: 0 } },
			{ json: { sent: true, draft_id: 'd-2' }, pairedItem: { item: 1 } },
		]);
		// the trigger emitted exactly the given items
		expect(run.json('Start')).toEqual([{ draft_id: 'd-1' }, { draft_id: 'd-2' }]);
	});

	it('resolves expressions incl. $execution, $("node").item (paired items) and $itemIndex', async () => {
		const run = await runWorkflow({
			package: pkg,
			items: [{ name: 'ann', n: 1 }, { name: 'bob', n: 2 }],
			workflow: chain(
				{ name: 'Times', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'x', value: '={{ $json.n * 10 }}' } },
				{ name: 'Flaky', type: pkg.nodeType('fixtureFlaky') },
				{
					name: 'Back',
					type: pkg.nodeType('fixtureSet'),
					parameters: {
						fieldName: 'summary',
						value: '={{ $("Start").item.json.name }}/{{ $itemIndex }}/{{ $execution.id }}/{{ $execution.mode }}',
					},
				},
			),
		});
		expect(run.status).toBe('success');
		expect(run.json('Times')).toEqual([
			{ name: 'ann', n: 1, x: 10 },
			{ name: 'bob', n: 2, x: 20 },
		]);
		expect(run.json('Back').map((j) => j.summary)).toEqual([
			`ann/0/${run.executionId}/test`,
			`bob/1/${run.executionId}/test`,
		]);
		expect(run.output('Back').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it("mode 'trigger' runs like a production trigger execution ($execution.mode = production)", async () => {
		const run = await runWorkflow({
			package: pkg,
			mode: 'trigger',
			items: [{ a: 1 }],
			workflow: chain({ name: 'Mode', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'mode', value: '={{ $execution.mode }}' } }),
		});
		expect(run.status).toBe('success');
		expect(run.mode).toBe('trigger');
		expect(run.json('Mode')).toEqual([{ a: 1, mode: 'production' }]);
	});

	describe('node errors', () => {
		const items = [{ id: 1 }, { id: 2, fail: true }, { id: 3 }];

		it("onError 'stopWorkflow' (default) fails the execution", async () => {
			const run = await runWorkflow({
				package: pkg,
				items,
				workflow: chain(
					{ name: 'Flaky', type: pkg.nodeType('fixtureFlaky') },
					{ name: 'After', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'after', value: 'yes' } },
				),
			});
			expect(run.status).toBe('error');
			expect(run.finished).toBe(false);
			expect(run.error?.message).toBe('Item 1 failed on purpose');
			expect(run.taskData('Flaky').executionStatus).toBe('error');
			expect(run.lastNodeExecuted).toBe('Flaky');
			expect(run.runCount('After')).toBe(0);
		});

		it("onError 'continueRegularOutput' keeps failing items as { error } on output 0", async () => {
			const run = await runWorkflow({
				package: pkg,
				items,
				workflow: chain({ name: 'Flaky', type: pkg.nodeType('fixtureFlaky'), onError: 'continueRegularOutput' }),
			});
			expect(run.status).toBe('success');
			expect(run.output('Flaky')).toEqual([
				{ json: { id: 1, processed: true }, pairedItem: { item: 0 } },
				{ json: { error: 'Item 1 failed on purpose' }, pairedItem: { item: 1 } },
				{ json: { id: 3, processed: true }, pairedItem: { item: 2 } },
			]);
		});

		it("onError 'continueErrorOutput' routes only the failing items to output 1", async () => {
			const workflow = chain({ name: 'Flaky', type: pkg.nodeType('fixtureFlaky'), onError: 'continueErrorOutput' });
			workflow.nodes.push(
				{ name: 'OnSuccess', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'branch', value: 'success' } },
				{ name: 'OnError', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'branch', value: 'error' } },
			);
			workflow.connections.Flaky = {
				main: [
					[{ node: 'OnSuccess', type: 'main', index: 0 }],
					[{ node: 'OnError', type: 'main', index: 0 }],
				],
			};
			const run = await runWorkflow({ package: pkg, items, workflow });

			expect(run.status).toBe('success');
			expect(run.json('Flaky', 0)).toEqual([
				{ id: 1, processed: true },
				{ id: 3, processed: true },
			]);
			// n8n merges the paired input item into the error item
			expect(run.output('Flaky', 1)).toEqual([
				{ json: { id: 2, fail: true, error: 'Item 1 failed on purpose' }, pairedItem: { item: 1 } },
			]);
			expect(run.json('OnSuccess').map((j) => j.id)).toEqual([1, 3]);
			expect(run.json('OnError')).toEqual([
				{ id: 2, fail: true, error: 'Item 1 failed on purpose', branch: 'error' },
			]);
		});

		it('retryOnFail re-runs the node inside one node execution', async () => {
			api.flakyFailures = 2;
			const run = await runWorkflow({
				package: pkg,
				credentials: apiCredentials(),
				workflow: chain({
					name: 'Flaky HTTP',
					type: pkg.nodeType('fixtureHttp'),
					parameters: { path: '/flaky', draftId: 'x' },
					retryOnFail: true,
					maxTries: 3,
					waitBetweenTries: 10,
				}),
			});
			expect(run.status).toBe('success');
			expect(api.requests.filter((r) => r.url === '/flaky')).toHaveLength(3);
			expect(run.json('Flaky HTTP')).toEqual([{ ok: true, attempt: 3 }]);
			// lifecycle hooks fire once per node execution, not per attempt (as in n8n)
			expect(run.hooks.nodeStarts('Flaky HTTP')).toBe(1);
			expect(run.hooks.nodeFinishes('Flaky HTTP')).toBe(1);
			expect(run.runCount('Flaky HTTP')).toBe(1);
		});

		it('without retryOnFail the same node fails after one request with a NodeApiError', async () => {
			api.flakyFailures = 2;
			const run = await runWorkflow({
				package: pkg,
				credentials: apiCredentials(),
				workflow: chain({ name: 'Flaky HTTP', type: pkg.nodeType('fixtureHttp'), parameters: { path: '/flaky' } }),
			});
			expect(run.status).toBe('error');
			expect(api.requests).toHaveLength(1);
			expect(run.taskData('Flaky HTTP').error?.name).toBe('NodeApiError');
			expect((run.taskData('Flaky HTTP').error as unknown as IDataObject).httpCode).toBe('500');
		});
	});
});

describe('testCredential', () => {
	it('runs the credential test request with the authenticate block', async () => {
		await expect(testCredential(pkg, 'fixtureApi', { apiKey: 'good-key', baseUrl: api.url })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(api.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
			['GET', '/me', 'Bearer good-key'],
		]);
	});

	it('reports HTTP errors and responseSuccessBody rules', async () => {
		await expect(testCredential(pkg, 'fixtureApi', { apiKey: 'wrong', baseUrl: api.url })).resolves.toEqual({
			status: 'Error',
			message: 'Unauthorized',
		});
		api.meOk = false;
		await expect(testCredential(pkg, 'fixtureApi', { apiKey: 'good-key', baseUrl: api.url })).resolves.toEqual({
			status: 'Error',
			message: 'API says the key is not ok',
		});
	});
});

describe('waiting for a webhook', () => {
	/** Start -> Remember (resumeUrl) -> Wait -(0)-> Approved, -(1)-> Rejected */
	function approvalWorkflow(waitParameters: IDataObject = {}): WorkflowInput {
		const workflow = chain(
			{
				name: 'Remember',
				type: pkg.nodeType('fixtureSet'),
				parameters: { fieldName: 'resumeUrl', value: '={{ $execution.resumeUrl }}', addSignedResumeUrl: true },
			},
			{ name: 'Wait', type: pkg.nodeType('fixtureWait'), parameters: { title: 'Approve draft', ...waitParameters } },
		);
		workflow.nodes.push(
			{ name: 'Approved', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'branch', value: 'approved' } },
			{ name: 'Rejected', type: pkg.nodeType('fixtureSet'), parameters: { fieldName: 'branch', value: 'rejected' } },
		);
		workflow.connections.Wait = {
			main: [[{ node: 'Approved', type: 'main', index: 0 }], [{ node: 'Rejected', type: 'main', index: 0 }]],
		};
		return workflow;
	}

	let waiting: HarnessRun;
	const before = Date.now();

	beforeAll(async () => {
		waiting = await runWorkflow({ package: pkg, items: [{ draft_id: 'd-9' }], workflow: approvalWorkflow() });
	});

	it('putExecutionToWait ends the run with status waiting and waitTill', () => {
		expect(waiting.status).toBe('waiting');
		expect(waiting.finished).toBe(false);
		expect(waiting.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 60 * 60 * 1000 - 1000);
		expect(waiting.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + 60 * 60 * 1000);
		expect(waiting.lastNodeExecuted).toBe('Wait');
		expect(waiting.taskData('Wait').executionStatus).toBe('waiting');
		expect(waiting.runCount('Approved')).toBe(0);
		const stored = loadRunExecutionData(waiting.state);
		expect(stored.executionData?.nodeExecutionStack.map((e) => e.node.name)).toEqual(['Wait']);
		expect(waiting.state.status).toBe('waiting');
	});

	it('exposes $execution.resumeUrl (with the resume token) and getSignedResumeUrl()', () => {
		const { resumeToken } = loadRunExecutionData(waiting.state);
		const [remembered] = waiting.json('Remember');
		expect(remembered.resumeUrl).toBe(
			`${HARNESS_BASE_URL}webhook-waiting/${waiting.executionId}?signature=${resumeToken}`,
		);
		const signed = new URL(remembered.signedResumeUrl as string);
		const rememberNodeId = waiting.state.workflowData.nodes.find((n) => n.name === 'Remember')!.id;
		expect(signed.pathname).toBe(`/webhook-waiting/${waiting.executionId}/${rememberNodeId}`);
		expect(signed.searchParams.get('approved')).toBe('true');
		expect(signed.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
	});

	it('GET renders the page and keeps the execution waiting', async () => {
		const response = await callWaitingWebhook(waiting.state, { method: 'GET' });
		expect(response.statusCode).toBe(200);
		expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(response.rawBody).toBe('<html><body><h1>Approve draft</h1><form method="post"></form></body></html>');
		expect(response.resumed).toBe(false);
		expect(response.run).toBeUndefined();
		expect(response.state).toBe(waiting.state);
		expect(response.state.status).toBe('waiting');
	});

	it('GET returning webhookResponse answers with it (no workflowData -> still waiting)', async () => {
		const response = await callWaitingWebhook(waiting.state, { method: 'GET', query: { format: 'json' } });
		expect(response.statusCode).toBe(200);
		expect(response.body).toEqual({ status: 'waiting', title: 'Approve draft' });
		expect(response.resumed).toBe(false);
	});

	it('POST with workflowData resumes on the chosen output and runs the downstream node', async () => {
		const response = await callWaitingWebhook(waiting.state, {
			method: 'POST',
			body: { decision: 'approve', comment: 'looks good' },
		});
		expect(response.resumed).toBe(true);
		// onReceived + a webhook description without `responseData`: n8n evaluates the
		// missing field to its default 'firstEntryJson' and answers with that string
		expect(response.statusCode).toBe(200);
		expect(response.rawBody).toBe('firstEntryJson');
		expect(response.headers['content-security-policy']).toContain('sandbox');

		const run = response.run!;
		expect(run.status).toBe('success');
		expect(run.finished).toBe(true);
		expect(run.executionId).toBe(waiting.executionId);
		expect(run.output('Wait', 0)).toEqual([
			{
				json: { decision: 'approve', comment: 'looks good', contentType: 'application/json' },
				pairedItem: { item: 0 },
			},
		]);
		expect(run.json('Approved')).toEqual([
			{ decision: 'approve', comment: 'looks good', contentType: 'application/json', branch: 'approved' },
		]);
		expect(run.runCount('Rejected')).toBe(0);
		// the waiting run of "Wait" was replaced by the resumed one
		expect(run.runCount('Wait')).toBe(1);
		expect(run.taskData('Wait').metadata).toEqual({ forwardAllOutputs: true });
		expect(run.hooks.events[0].hook).toBe('workflowExecuteResume');
		expect(run.hooks.nodeOrder()).toEqual(['Wait', 'Approved']);
		// data of the nodes before the wait is kept
		expect(run.json('Remember')[0].draft_id).toBe('d-9');

		// the execution is finished now: n8n answers 409
		const again = await callWaitingWebhook(run.state, { method: 'POST', body: { decision: 'approve' } });
		expect(again.statusCode).toBe(409);
		expect(again.body).toEqual({
			code: 409,
			message: `The execution "${run.executionId} has finished already.`,
		});
	});

	it('POST with a urlencoded body resumes on output 1', async () => {
		const response = await callWaitingWebhook(waiting.state, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'decision=reject&comment=too+long',
		});
		const run = response.run!;
		expect(run.status).toBe('success');
		expect(run.output('Wait', 0)).toEqual([]);
		expect(run.output('Wait', 1)).toEqual([
			{
				json: { decision: 'reject', comment: 'too long', contentType: 'application/x-www-form-urlencoded' },
				pairedItem: { item: 0, input: 1 },
			},
		]);
		expect(run.json('Rejected')[0].branch).toBe('rejected');
		expect(run.runCount('Approved')).toBe(0);
	});

	it('a node that answers the request itself and returns workflowData also resumes', async () => {
		const response = await callWaitingWebhook(waiting.state, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { decision: 'approve', respondDirectly: 'yes' },
		});
		expect(response.statusCode).toBe(200);
		expect(response.rawBody).toBe('<p>Thanks, recorded</p>');
		expect(response.headers['x-review']).toBe('recorded');
		expect(response.resumed).toBe(true);
		expect(response.run!.json('Approved')[0]).toMatchObject({ decision: 'approve', branch: 'approved' });
	});

	it('the resume URL from $execution.resumeUrl can be used as-is', async () => {
		const response = await callWaitingWebhook(waiting.state, {
			method: 'POST',
			url: waiting.json('Remember')[0].resumeUrl as string,
			signature: false,
			body: { decision: 'approve' },
		});
		expect(response.resumed).toBe(true);
		expect(response.run!.runCount('Approved')).toBe(1);
	});

	it('rejects a wrong resume token with 401 and keeps waiting', async () => {
		const response = await callWaitingWebhook(waiting.state, {
			method: 'POST',
			signature: 'not-the-token',
			body: { decision: 'approve' },
		});
		expect(response.statusCode).toBe(401);
		expect(response.body).toEqual({ error: 'Invalid token' });
		expect(response.resumed).toBe(false);
	});

	it('a webhook() that throws answers 500 with n8n\'s generic message and keeps waiting', async () => {
		const response = await callWaitingWebhook(waiting.state, { method: 'POST', body: { decision: 'explode' } });
		expect(response.statusCode).toBe(500);
		expect(response.body).toEqual({ code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		expect(response.webhookError?.message).toBe('Review form could not be processed');
		expect(response.resumed).toBe(false);
		expect(response.state.status).toBe('waiting');
	});

	it('the form-waiting endpoint only serves webhooks with nodeType "form"', async () => {
		const response = await callWaitingWebhook(waiting.state, { method: 'GET', endpoint: 'form' });
		expect(response.statusCode).toBe(404);
		expect(response.renders).toEqual([{ view: 'form-trigger-404', data: { isTestWebhook: false } }]);
	});

	it('answers 404 for a method the node has no restart webhook for', async () => {
		const response = await callWaitingWebhook(waiting.state, { method: 'PUT', body: {} });
		expect(response.statusCode).toBe(404);
		expect(response.body).toEqual({
			code: 404,
			message: `The workflow for execution "${waiting.executionId}" does not contain a waiting webhook with a matching path/method.`,
		});
		expect(response.resumed).toBe(false);
	});

	it('expireWait resumes without calling execute()/webhook(): the disabled node passes its input to output 0', async () => {
		const run = await expireWait(waiting.state);
		expect(run.status).toBe('success');
		expect(run.executionId).toBe(waiting.executionId);
		const input = waiting.output('Remember');
		expect(run.json('Wait', 0)).toEqual(input.map((i) => i.json));
		expect(run.output('Wait', 0).map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(run.output('Wait', 1)).toEqual([]);
		expect(run.taskData('Wait').executionStatus).toBe('success');
		expect(run.runCount('Wait')).toBe(1);
		expect(run.json('Approved')).toEqual([{ ...input[0].json, branch: 'approved' }]);
		expect(run.runCount('Rejected')).toBe(0);
		// the stored execution is unchanged by earlier webhook calls: each resume starts from it
		expect(waiting.state.status).toBe('waiting');
	});

	it('expireWait refuses executions that wait indefinitely (the WaitTracker never picks them up)', async () => {
		const forever = await runWorkflow({
			package: pkg,
			workflow: approvalWorkflow({ waitMinutes: (WAIT_INDEFINITELY.getTime() - Date.now()) / 60000 }),
		});
		expect(forever.status).toBe('waiting');
		await expect(expireWait(forever.state)).rejects.toThrow(/waits indefinitely/);
	});
});
