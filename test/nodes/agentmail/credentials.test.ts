/**
 * The AgentMail API credential: its Test request against the sandbox, and the
 * API key never showing up in node output or errors.
 */
import { createServer, type Server } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { testCredential, type HarnessRun } from '../../harness';
import type { NodeEnv } from '../setup';
import { useNodeEnv } from '../setup';
import { am, byId, expectApiError, listSearch } from './helpers';

const getEnv = useNodeEnv();

const WRONG_KEY = 'am_wrong_key_do_not_leak_7f3a9c';

/** Everything a user could see of a run: output items, errors, the execution's error. */
function visible(run: HarnessRun): string {
	return JSON.stringify({ runData: run.runData, error: run.error, stored: run.state.storedData });
}

function expectNoSecret(text: string, ...secrets: string[]): void {
	for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('credential test (the "Test" button)', () => {
	it('succeeds against the sandbox with the right key', async () => {
		const env = getEnv();
		const result = await testCredential(env.pkg, 'agentMailApi', { apiKey: env.sandbox.apiKey, region: 'custom', baseUrl: env.sandbox.url });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = await env.requests();
		expect(request.decoded_path).toBe('/v0/inboxes');
		expect(request.query).toEqual({ limit: '1' });
		expect(request.status).toBe(200);
	});

	it('accepts a Base URL with a trailing slash', async () => {
		const env = getEnv();
		const result = await testCredential(env.pkg, 'agentMailApi', { apiKey: env.sandbox.apiKey, region: 'custom', baseUrl: `${env.sandbox.url}/` });
		expect(result.status).toBe('OK');
	});

	it('accepts a Base URL ending in /v0, like the node does', async () => {
		const env = getEnv();
		const result = await testCredential(env.pkg, 'agentMailApi', { apiKey: env.sandbox.apiKey, region: 'custom', baseUrl: ` ${env.sandbox.url}/v0/ ` });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect((await env.requests()).map((request) => request.decoded_path)).toEqual(['/v0/inboxes']);
	});

	it('fails with a wrong key, without echoing it', async () => {
		const env = getEnv();
		const result = await testCredential(env.pkg, 'agentMailApi', { apiKey: WRONG_KEY, region: 'custom', baseUrl: env.sandbox.url });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/401|Unauthorized/i);
		expectNoSecret(JSON.stringify(result), WRONG_KEY);
		const [request] = await env.requests();
		expect(request.status).toBe(401);
	});

	it('fails when nothing listens at the Base URL', async () => {
		const env = getEnv();
		const server: Server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const result = await testCredential(env.pkg, 'agentMailApi', { apiKey: env.sandbox.apiKey, region: 'custom', baseUrl: `http://127.0.0.1:${port}` });
		expect(result.status).toBe('Error');
		expectNoSecret(JSON.stringify(result), env.sandbox.apiKey);
	});
});

describe('the node with the credential', () => {
	it('a Base URL ending in /v0 works too (the node strips it)', async () => {
		const env = getEnv();
		const run = await env.run([am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true })], {
			credentials: { agentMailApi: { apiKey: env.sandbox.apiKey, region: 'custom', baseUrl: `${env.sandbox.url}/v0/` } },
		});
		expect(run.status).toBe('success');
		expect((await env.requests())[0].decoded_path).toBe(`/v0/inboxes/${env.inbox}/drafts`);
	});

	it('a wrong key gives a 401 NodeApiError that does not contain the key', async () => {
		const env = getEnv();
		const run = await env.run([am('List', { resource: 'draft', operation: 'list', inboxId: byId(env.inbox), returnAll: true })], {
			credentials: { agentMailApi: { apiKey: WRONG_KEY, region: 'custom', baseUrl: env.sandbox.url } },
		});
		expectApiError(run, 'List', 401, 'unknown_api_key');
		expect(await env.requests()).toHaveLength(1); // 401 is final
		expectNoSecret(visible(run), WRONG_KEY, env.sandbox.apiKey);
	});
});

describe('the API key never appears in outputs or error messages', () => {
	async function scenarios(env: NodeEnv): Promise<HarnessRun[]> {
		const runs: HarnessRun[] = [];
		const send = (extra: IDataObject = {}) =>
			am('Send', { resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'a@example.com', text: 'x', ...extra });
		// success with output
		runs.push(await env.run([send(), am('Get', { resource: 'message', operation: 'get', inboxId: byId(env.inbox) })]));
		// API error (404) and continue-on-fail items
		runs.push(
			await env.run([
				am(
					'Get',
					{ resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('drf_missing') },
					{ onError: 'continueRegularOutput' },
				),
			]),
		);
		runs.push(await env.run([am('Get', { resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('drf_missing') })]));
		// error output
		runs.push(
			await env.run([
				am(
					'Get',
					{ resource: 'draft', operation: 'get', inboxId: byId(env.inbox), draftId: byId('drf_missing') },
					{ onError: 'continueErrorOutput' },
				),
			]),
		);
		// input validation error
		runs.push(await env.run([send({ to: 'broken' })]));
		// network failure: the HTTP client's error holds the request config with the Authorization header
		// (Create Draft is retried now that it is idempotent, so every attempt is dropped)
		await env.fault({ method: 'POST', path: '/drafts', drop: true, count: 3 });
		runs.push(await env.run([am('Create', { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'a@example.com' })]));
		await env.fault({ method: 'POST', path: '/drafts', drop: true, count: 3 });
		runs.push(
			await env.run([
				am(
					'Create',
					{ resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'a@example.com' },
					{ onError: 'continueRegularOutput' },
				),
			]),
		);
		// exhausted retries on 5xx
		await env.fault({ method: 'GET', path: '/lists/', status: 503, retry_after: 0, count: 3 });
		runs.push(
			await env.run([
				am('List', { resource: 'allowlist', operation: 'list', scope: 'organization', direction: 'send', listType: 'block', returnAll: true }),
			]),
		);
		return runs;
	}

	it('in any of: success, 404, continue-on-fail items, error output, validation, dropped connection, 5xx', async () => {
		const env = getEnv();
		const runs = await scenarios(env);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success', 'error', 'success', 'error', 'error', 'success', 'error']);
		// the runs did reach AgentMail with the key
		expect((await env.requests()).length).toBeGreaterThanOrEqual(8);
		for (const run of runs) expectNoSecret(visible(run), env.sandbox.apiKey);
		// the continue-on-fail item of the dropped connection
		const dropped = runs[6].json('Create')[0];
		expect(Object.keys(dropped)).toEqual(expect.arrayContaining(['error']));
		expectNoSecret(JSON.stringify(dropped), env.sandbox.apiKey, 'Bearer');
	});

	it('nor in list-search results or errors', async () => {
		const env = getEnv();
		const results = await listSearch(env, 'searchInboxes', { resource: 'draft', operation: 'list', inboxId: { __rl: true, mode: 'list', value: '' } });
		expectNoSecret(JSON.stringify(results), env.sandbox.apiKey);
		await env.fault({ method: 'GET', path: '/v0/inboxes', drop: true, count: 3 });
		const error = await listSearch(env, 'searchInboxes', { resource: 'draft', operation: 'list', inboxId: { __rl: true, mode: 'list', value: '' } }).then(
			() => undefined,
			(e: unknown) => e as Error,
		);
		expect(error).toBeDefined();
		expectNoSecret(JSON.stringify(error), env.sandbox.apiKey, 'Bearer');
		expectNoSecret(String(error?.message), env.sandbox.apiKey);
		expectNoSecret(String(error?.stack), env.sandbox.apiKey);
	});
});
