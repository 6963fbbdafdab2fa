/**
 * A small client for n8n's public REST API (/api/v1, header X-N8N-API-KEY)
 * plus the owner-session endpoints the public API lacks (/types/nodes.json).
 * Shared by `npm start` and the e2e suites (which add defaults for the n8n
 * their globalSetup started, test-e2e/helpers/n8nApi.ts).
 */
import * as fs from 'fs';

/** Where an n8n is and who owns it: enough to log in. */
export interface N8nOwnerAccess {
	url: string;
	owner: { email: string; password: string };
}

export type ExecutionStatus =
	| 'canceled'
	| 'crashed'
	| 'error'
	| 'new'
	| 'running'
	| 'success'
	| 'unknown'
	| 'waiting';

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
	[key: string]: unknown;
}

/** What may be sent to POST /workflows (other keys are read-only there). */
export interface WorkflowInput {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
	pinData?: Record<string, unknown> | null;
	description?: string;
	[key: string]: unknown;
}

export interface Workflow extends WorkflowInput {
	id: string;
	active: boolean;
	versionId?: string;
	createdAt: string;
	updatedAt: string;
}

/** Run data of one node run, as in IRunExecutionData.resultData.runData[name][i]. */
export interface NodeRun {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: unknown }> | null> };
	error?: { message: string; [key: string]: unknown };
	[key: string]: unknown;
}

export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: ExecutionStatus;
	startedAt: string;
	stoppedAt: string | null;
	workflowId: string;
	waitTill: string | null;
	retryOf?: string | null;
	/** Present with includeData=true. */
	data?: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			lastNodeExecuted?: string;
			error?: { message: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

export interface Credential {
	id: string;
	name: string;
	type: string;
	createdAt: string;
	updatedAt: string;
}

export class N8nApiError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(`n8n API ${method} ${path} -> HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
		this.name = 'N8nApiError';
	}
}

type Query = Record<string, string | number | boolean | undefined>;

const WRITABLE_WORKFLOW_KEYS = [
	'name',
	'description',
	'nodes',
	'connections',
	'settings',
	'staticData',
	'pinData',
	'nodeGroups',
	'parentFolderId',
] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class N8nApi {
	constructor(
		/** e.g. http://127.0.0.1:5688 (no trailing slash) */
		readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	/** Call /api/v1 + path; returns the parsed JSON body, throws N8nApiError on >= 400. */
	async request<T>(method: string, path: string, options: { body?: unknown; query?: Query } = {}): Promise<T> {
		const url = new URL(`${this.baseUrl}/api/v1${path.startsWith('/') ? path : `/${path}`}`);
		for (const [key, value] of Object.entries(options.query ?? {})) {
			if (value !== undefined) url.searchParams.set(key, String(value));
		}
		const response = await fetch(url, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey,
				accept: 'application/json',
				...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// keep the text
		}
		if (!response.ok) throw new N8nApiError(method, path, response.status, parsed);
		return parsed as T;
	}

	// ---------------------------------------------------------------- workflows

	/** Create a workflow; keys the public API treats as read-only (id, active, tags, ...) are dropped. */
	async createWorkflow(workflow: WorkflowInput): Promise<Workflow> {
		const body: Record<string, unknown> = {};
		for (const key of WRITABLE_WORKFLOW_KEYS) {
			if (workflow[key] !== undefined) body[key] = workflow[key];
		}
		body.settings = { executionOrder: 'v1', ...(workflow.settings ?? {}) };
		return await this.request<Workflow>('POST', '/workflows', { body });
	}

	/** Create a workflow from an exported JSON file (as saved by the n8n editor), with optional overrides. */
	async importWorkflowFile(file: string, overrides: Partial<WorkflowInput> = {}): Promise<Workflow> {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput;
		return await this.createWorkflow({ ...workflow, ...overrides });
	}

	getWorkflow(id: string): Promise<Workflow> {
		return this.request<Workflow>('GET', `/workflows/${id}`);
	}

	async listWorkflows(query: { name?: string; active?: boolean; limit?: number } = {}): Promise<Workflow[]> {
		const result = await this.request<{ data: Workflow[] }>('GET', '/workflows', { query });
		return result.data;
	}

	/**
	 * Activate ("publish" in n8n 2.x) the latest version. Webhooks register
	 * asynchronously: call them with callWebhook, which retries on 404.
	 */
	activateWorkflow(id: string): Promise<Workflow> {
		return this.request<Workflow>('POST', `/workflows/${id}/publish`, { body: {} });
	}

	deactivateWorkflow(id: string): Promise<Workflow> {
		return this.request<Workflow>('POST', `/workflows/${id}/unpublish`);
	}

	/** Deactivates first when needed (an active workflow cannot be deleted in 2.x). */
	async deleteWorkflow(id: string): Promise<void> {
		const workflow = await this.getWorkflow(id);
		if (workflow.active) await this.deactivateWorkflow(id);
		await this.request('DELETE', `/workflows/${id}`);
	}

	async createAndActivate(workflow: WorkflowInput): Promise<Workflow> {
		const created = await this.createWorkflow(workflow);
		await this.activateWorkflow(created.id);
		return await this.getWorkflow(created.id);
	}

	// --------------------------------------------------------------- executions

	async listExecutions(
		query: { workflowId?: string; status?: ExecutionStatus; includeData?: boolean; limit?: number } = {},
	): Promise<Execution[]> {
		const result = await this.request<{ data: Execution[] }>('GET', '/executions', { query });
		return result.data;
	}

	getExecution(id: string, options: { includeData?: boolean } = {}): Promise<Execution> {
		return this.request<Execution>('GET', `/executions/${id}`, {
			query: { includeData: options.includeData ?? true },
		});
	}

	/**
	 * Poll until execution `id` has one of `statuses` (default: any finished
	 * state); returns it with data. Throws with the last status on timeout,
	 * or right away if it ends in a status that was not wanted.
	 */
	async waitForExecution(
		id: string,
		statuses: ExecutionStatus | ExecutionStatus[] = ['success', 'error', 'crashed', 'canceled'],
		options: { timeoutMs?: number; intervalMs?: number } = {},
	): Promise<Execution> {
		const wanted = Array.isArray(statuses) ? statuses : [statuses];
		const terminal: ExecutionStatus[] = ['success', 'error', 'crashed', 'canceled'];
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		let last: Execution | undefined;
		while (Date.now() < deadline) {
			try {
				last = await this.getExecution(id, { includeData: true });
			} catch (error) {
				// Not saved yet right after a webhook answered.
				if (!(error instanceof N8nApiError && error.status === 404)) throw error;
			}
			if (last && wanted.includes(last.status)) return last;
			if (last && terminal.includes(last.status)) {
				throw new Error(
					`execution ${id} ended as "${last.status}", expected ${wanted.join('|')}: ${executionError(last) ?? ''}`,
				);
			}
			await sleep(options.intervalMs ?? 250);
		}
		throw new Error(`execution ${id} is still "${last?.status ?? 'not found'}" after ${options.timeoutMs ?? 60_000}ms`);
	}

	/**
	 * Wait for an execution of a workflow that is not in `excludeIds` (e.g.
	 * the ids seen before triggering it) to reach one of `statuses`.
	 */
	async waitForWorkflowExecution(
		workflowId: string,
		statuses: ExecutionStatus | ExecutionStatus[] = ['success', 'error', 'crashed', 'canceled'],
		options: { excludeIds?: string[]; timeoutMs?: number; intervalMs?: number } = {},
	): Promise<Execution> {
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		const excluded = new Set(options.excludeIds ?? []);
		while (Date.now() < deadline) {
			const fresh = (await this.listExecutions({ workflowId, limit: 20 })).find((e) => !excluded.has(String(e.id)));
			if (fresh) {
				return await this.waitForExecution(String(fresh.id), statuses, {
					timeoutMs: Math.max(1, deadline - Date.now()),
					intervalMs: options.intervalMs,
				});
			}
			await sleep(options.intervalMs ?? 250);
		}
		throw new Error(`no new execution of workflow ${workflowId} within ${options.timeoutMs ?? 60_000}ms`);
	}

	// -------------------------------------------------------------- credentials

	createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<Credential> {
		return this.request<Credential>('POST', '/credentials', { body: credential });
	}

	async deleteCredential(id: string): Promise<void> {
		await this.request('DELETE', `/credentials/${id}`);
	}

	/** Run the credential type's `test` request with the stored data (what "Test" in the editor does). */
	testCredential(id: string): Promise<{ status: 'OK' | 'Error'; message: string }> {
		return this.request('POST', `/credentials/${id}/test`);
	}

	/** JSON schema n8n validates `data` of POST /credentials against. */
	getCredentialSchema(type: string): Promise<Record<string, unknown>> {
		return this.request<Record<string, unknown>>('GET', `/credentials/schema/${type}`);
	}
}

/** Output items (json) of a node's run in an execution fetched with data. */
export function nodeOutput(
	execution: Execution,
	nodeName: string,
	options: { runIndex?: number; outputIndex?: number } = {},
): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs) {
		const ran = Object.keys(execution.data?.resultData.runData ?? {}).join(', ');
		throw new Error(`node "${nodeName}" did not run in execution ${execution.id} (ran: ${ran || 'none'})`);
	}
	const run = runs[options.runIndex ?? 0];
	const items = run?.data?.main?.[options.outputIndex ?? 0] ?? [];
	return items.map((item) => item.json);
}

/** The error message of a failed execution, if any. */
export function executionError(execution: Execution): string | undefined {
	return execution.data?.resultData.error?.message;
}

// ------------------------------------------------------------- owner session

/**
 * Logged-in owner session for the internal endpoints the public API does not
 * cover (/rest/..., /types/nodes.json). Returns the Cookie header value.
 */
export async function ownerCookie(n8n: N8nOwnerAccess): Promise<string> {
	const { url, owner } = n8n;
	const response = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!response.ok) throw new Error(`owner login failed: HTTP ${response.status} ${await response.text()}`);
	const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
	if (cookies.length === 0) throw new Error('owner login returned no cookie');
	return cookies.join('; ');
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	[key: string]: unknown;
}

/** Every node type the running n8n has loaded (names like "n8n-nodes-foo.bar"). */
export async function loadedNodeTypes(n8n: N8nOwnerAccess): Promise<NodeTypeDescription[]> {
	const response = await fetch(`${n8n.url}/types/nodes.json`, { headers: { cookie: await ownerCookie(n8n) } });
	if (!response.ok) throw new Error(`/types/nodes.json: HTTP ${response.status}`);
	return (await response.json()) as NodeTypeDescription[];
}
