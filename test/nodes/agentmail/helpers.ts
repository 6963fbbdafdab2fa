/**
 * Small helpers shared by the AgentMail node tests. Everything the node does
 * runs through the harness (env.run -> n8n-core WorkflowExecute); the helpers
 * here only prepare sandbox state over raw HTTP, read it back, and build n8n's
 * real LoadOptionsContext for the list-search methods.
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	ExecutionError,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	CredentialStore,
	MANUAL_TRIGGER_TYPE,
	TestCredentialsHelper,
	buildAdditionalData,
	credentialIdFor,
	ensureHarnessReady,
	runWorkflow,
	type HarnessRun,
	type WorkflowInput,
} from '../../harness';
import { START, byId, node, type NodeEnv } from '../setup';

export { byId };

/**
 * Start -> nodes[0] -> nodes[1] ... like env.run, with what env.run does not
 * take: workflow settings (time zone) and pinned data on Start (items with
 * binary data, as a previous node such as Read File would give them).
 */
export async function runWith(
	env: NodeEnv,
	nodes: Array<Partial<INode>>,
	options: { settings?: WorkflowInput['settings']; startItems?: INodeExecutionData[] } = {},
): Promise<HarnessRun> {
	const names = [START, ...nodes.map((n) => n.name as string)];
	const connections: WorkflowInput['connections'] = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return await runWorkflow({
		package: env.pkg,
		credentials: env.credentials,
		workflow: {
			settings: options.settings,
			nodes: [{ name: START, type: MANUAL_TRIGGER_TYPE, typeVersion: 1, parameters: {} }, ...(nodes as WorkflowInput['nodes'])],
			connections,
			pinData: options.startItems ? { [START]: options.startItems } : undefined,
		},
	});
}

/** An input item with binary properties (name -> [file name, MIME type, content]). */
export function itemWithFiles(files: Record<string, [string, string, string]>): INodeExecutionData {
	const binary: INodeExecutionData['binary'] = {};
	for (const [name, [fileName, mimeType, content]] of Object.entries(files)) {
		binary[name] = { data: Buffer.from(content).toString('base64'), mimeType, fileName };
	}
	return { json: {}, binary };
}

/** A schedule time far in the future. */
export const FUTURE = '2099-06-01T09:00:00.000Z';
export const FUTURE_2 = '2099-07-15T17:30:00.000Z';

export const enc = encodeURIComponent;

/** An AgentMail node with the given parameters. */
export function am(name: string, parameters: INodeParameters, extra: Partial<INode> = {}): Partial<INode> {
	return node(name, 'agentMail', parameters, extra);
}

export function inboxPath(env: NodeEnv, inbox = env.inbox): string {
	return `/v0/inboxes/${enc(inbox)}`;
}

/** n `user-<i>@<domain>` addresses, comma-separated. */
export function addresses(n: number, prefix = 'user', domain = 'example.com'): string {
	return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}@${domain}`).join(', ');
}

async function ok<T = IDataObject>(promise: Promise<{ status: number; data: unknown }>, what: string): Promise<T> {
	const response = await promise;
	if (response.status !== 200) throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.data)}`);
	return response.data as T;
}

/** Creates a draft directly through the API (test setup, not the node). */
export async function createDraft(env: NodeEnv, body: IDataObject, inbox = env.inbox): Promise<IDataObject> {
	return await ok(env.api.post(`${inboxPath(env, inbox)}/drafts`, body), 'create draft');
}

/** The full draft as the API returns it now, or the HTTP status when it fails. */
export async function readDraft(env: NodeEnv, draftId: string, inbox = env.inbox) {
	return await env.api.get(`${inboxPath(env, inbox)}/drafts/${enc(draftId)}`);
}

export async function readMessage(env: NodeEnv, messageId: string, inbox = env.inbox) {
	return await env.api.get(`${inboxPath(env, inbox)}/messages/${enc(messageId)}`);
}

/** Sends a message directly through the API (test setup). */
export async function sendMessage(env: NodeEnv, body: IDataObject): Promise<IDataObject> {
	return await ok(env.api.post(`${inboxPath(env)}/messages/send`, body), 'send message');
}

/** Mail from outside arriving in the seeded inbox. */
export async function inbound(env: NodeEnv, body: IDataObject): Promise<IDataObject> {
	return await ok(env.admin.post('/_sandbox/inbound', { inbox_id: env.inbox, ...body }), 'inbound');
}

export async function seedInboxes(env: NodeEnv, count: number): Promise<IDataObject[]> {
	const data = await ok<{ inboxes: IDataObject[] }>(env.admin.post('/_sandbox/seed', { count }), 'seed');
	return data.inboxes;
}

/** Requests the sandbox logged since the last clearRequests(). */
export async function requests(env: NodeEnv): Promise<IDataObject[]> {
	return await env.requests();
}

export async function expectNoRequests(env: NodeEnv): Promise<void> {
	expect(await env.requests()).toEqual([]);
}

function errorOf(run: HarnessRun, nodeName: string): ExecutionError {
	expect(run.status).toBe('error');
	const error = run.taskData(nodeName).error;
	expect(error).toBeDefined();
	// the execution's error is the node's error
	expect(run.error?.message).toBe(error!.message);
	return error!;
}

/** The run failed in `nodeName` with a NodeOperationError whose message matches. */
export function expectOperationError(run: HarnessRun, nodeName: string, message: string | RegExp): ExecutionError {
	const error = errorOf(run, nodeName);
	expect(error.name).toBe('NodeOperationError');
	expect(error.message).toMatch(message);
	return error;
}

/** The run failed in `nodeName` with a NodeApiError carrying AgentMail's status and code. */
export function expectApiError(
	run: HarnessRun,
	nodeName: string,
	status: number,
	code: string,
): ExecutionError & { httpCode?: string; context: IDataObject } {
	const error = errorOf(run, nodeName) as ExecutionError & { httpCode?: string; context: IDataObject };
	expect(error.name).toBe('NodeApiError');
	expect(error.httpCode).toBe(String(status));
	expect(error.message.startsWith(`AgentMail ${status} ${code}: `)).toBe(true);
	expect((error.context.agentMail as IDataObject).status).toBe(status);
	expect((error.context.agentMail as IDataObject).code).toBe(code);
	return error;
}

/** The value of a request header in a logged request. */
export function header(request: IDataObject, name: string): string | undefined {
	return (request.headers as Record<string, string>)[name.toLowerCase()];
}

/**
 * Calls a list-search method of the AgentMail node the way n8n's
 * DynamicNodeParametersService.getResourceLocatorResults does: a one-node
 * Workflow ("Temp-Node"), n8n-core's LoadOptionsContext with
 * additionalData.currentNodeParameters, the method called with
 * (filter, paginationToken). Credentials come from the harness credentials
 * helper (real authenticate / httpRequestWithAuthentication).
 */
export async function listSearch(
	env: NodeEnv,
	method: 'searchInboxes' | 'searchDrafts' | 'searchThreads',
	currentNodeParameters: INodeParameters,
	filter?: string,
	paginationToken?: string,
	path = method === 'searchInboxes' ? 'parameters.inboxId' : 'parameters.draftId',
): Promise<INodeListSearchResult> {
	await ensureHarnessReady();
	const type = env.pkg.nodeType('agentMail');
	const tempNode: INode = {
		parameters: currentNodeParameters,
		id: 'uuid-1234',
		name: 'Temp-Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		credentials: { agentMailApi: { id: credentialIdFor('agentMailApi'), name: 'agentMailApi' } },
	};
	const workflow = new Workflow({ nodes: [tempNode], connections: {}, active: false, nodeTypes: env.pkg.nodeTypes });
	const credentialsHelper = new TestCredentialsHelper(
		env.pkg.credentialTypes as ConstructorParameters<typeof TestCredentialsHelper>[0],
		new CredentialStore(env.credentials),
	);
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowData: { id: 'list-search', name: 'List search', nodes: [], connections: {} } as unknown as IWorkflowBase,
		mode: 'internal',
	});
	additionalData.currentNodeParameters = currentNodeParameters;
	const context = new LoadOptionsContext(workflow, workflow.getNode('Temp-Node')!, additionalData, path);
	const nodeType = env.pkg.nodeTypes.getByNameAndVersion(type, 1) as INodeType;
	const search = nodeType.methods?.listSearch?.[method];
	if (typeof search !== 'function') throw new Error(`AgentMail has no listSearch method ${method}`);
	// The credential's authenticate expression is evaluated in the workflow's
	// expression isolate (isolated-vm engine), which the cli holds around calls.
	await workflow.expression.acquireIsolate();
	try {
		return await search.call(context, filter, paginationToken);
	} finally {
		await workflow.expression.releaseIsolate();
	}
}
