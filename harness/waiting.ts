/**
 * Waiting executions: the n8n 2.41 server's resume paths, reproduced on top of
 * the stored execution (`HarnessExecutionState`).
 *
 * callWaitingWebhook() = WebhookRequestHandler.handleRequest (webhook-request-handler.ts)
 *   -> WaitingWebhooks.executeWebhook / WaitingForms.executeWebhook
 *      (webhooks/waiting-webhooks.ts, webhooks/waiting-forms.ts)
 *   -> getWebhookExecutionData(): disable the waiting node in
 *      nodeExecutionStack[0] (forms: only on POST), clear `waitTill`, pop the
 *      waiting node's last runData entry (preserveInputOverride), find the node's
 *      webhook with matching method + path + `restartWebhook: true` (+ form-ness)
 *   -> WebhookHelpers.executeWebhook (webhooks/webhook-helpers.ts): evaluate the
 *      response options, parse the body, run the node's `webhook()` with
 *      n8n-core's `WebhookContext`, answer immediately when it returns no
 *      `workflowData`, otherwise `prepareExecutionData()` (stack[0].data.main =
 *      webhook output, `metadata.forwardAllOutputs = true`) and restart the
 *      execution through WorkflowRunner (restartExecutionId) -> WorkflowExecute.
 *
 * expireWait() = WaitTracker.startExecution (wait-tracker.ts): restarts the
 *   stored execution as-is (waitTill still set) -> WorkflowExecute
 *   `handleWaitingState()` clears waitTill, disables nodeExecutionStack[0].node
 *   and pops the waiting node's last runData entry; the disabled node then
 *   forwards input 0 to output 0 (`handleDisabledNode`, no forwardAllOutputs).
 */
import type {
	IDataObject,
	IExecuteData,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	IRunExecutionData,
	IRunData,
	ITaskData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowDataProxyAdditionalKeys,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	FORM_NODE_TYPE,
	FORM_TRIGGER_NODE_TYPE,
	NodeConnectionTypes,
	NodeHelpers,
	NodeOperationError,
	Node as NodeClass,
	SEND_AND_WAIT_OPERATION,
	UnexpectedError,
	WAIT_INDEFINITELY,
	WAIT_NODE_TYPE,
	WAITING_FORMS_EXECUTION_STATUS,
	WorkflowConfigurationError,
	resolveWebhookDescriptionField,
	tryToParseUrl,
} from 'n8n-workflow';
import { timingSafeEqual, createHmac } from 'node:crypto';
import { Container } from '@n8n/di';
import { InstanceSettings, WAITING_TOKEN_QUERY_PARAM, WebhookContext, getHtmlSandboxCSP, isWebhookHtmlSandboxingDisabled, validateUrlSignature } from 'n8n-core';

import { ENDPOINTS, HARNESS_BASE_URL, buildAdditionalData } from './additional-data';
import { ensureHarnessReady } from './container';
import { TestCredentialsHelper } from './credentials-helper';
import type { HarnessExecutionState, HarnessRun } from './execution';
import { buildWorkflow, loadRunExecutionData, startExecution } from './execution';
import type { FakeRequest, HttpMethod, RenderCall } from './http';
import {
	FakeResponse,
	HttpResponseError,
	createFakeRequest,
	parseBody,
	sendErrorResponse,
} from './http';

// ---------------------------------------------------------------------------
// public API

export interface WaitingWebhookRequest {
	method: HttpMethod;
	/**
	 * 'webhook' (default): /webhook-waiting/<executionId>[/<path>] -> WaitingWebhooks
	 * (`$execution.resumeUrl`, `getSignedResumeUrl()`).
	 * 'form': /form-waiting/<executionId>[/<path>] -> WaitingForms (`$execution.resumeFormUrl`,
	 * webhooks with `nodeType: 'form'`).
	 */
	endpoint?: 'webhook' | 'form';
	/** the webhook path after the execution id (a restart webhook's `path`, e.g. the node id for send-and-wait URLs) */
	path?: string;
	/** alternatively a full URL as produced by the node (resumeUrl / signed URL); sets endpoint, path and query */
	url?: string;
	query?: Record<string, string | string[]>;
	headers?: Record<string, string>;
	/** string/Buffer are sent raw; objects are JSON (default) or urlencoded per content-type */
	body?: unknown;
	/**
	 * The `signature` query parameter. 'auto' (default): if the query has none, add
	 * the execution's resumeToken (exactly what `$execution.resumeUrl` carries).
	 * false: send none. A string: send that.
	 */
	signature?: 'auto' | false | string;
}

export interface WaitingWebhookResult {
	statusCode: number;
	headers: Record<string, string | string[]>;
	/** parsed JSON for JSON responses, text otherwise */
	body: unknown;
	rawBody: string;
	/** the response body as sent, byte for byte (downloads) */
	bytes: Buffer;
	/** `res.render(view, data)` calls (n8n's HTML templates are not available) */
	renders: RenderCall[];
	/** whether the response was ended (n8n would keep the HTTP request open otherwise) */
	responseEnded: boolean;
	/** true when the node returned `workflowData` and the execution was restarted */
	resumed: boolean;
	/** the continued execution (same shape as runWorkflow's result) */
	run?: HarnessRun;
	/** state after the call: run.state when resumed, otherwise the unchanged input state */
	state: HarnessExecutionState;
	/** the error thrown by the node's webhook(), if any (n8n answers 500 with a generic message) */
	webhookError?: Error;
}

export async function callWaitingWebhook(
	state: HarnessExecutionState,
	request: WaitingWebhookRequest,
): Promise<WaitingWebhookResult> {
	await ensureHarnessReady();

	let endpoint = request.endpoint ?? 'webhook';
	let suffix = request.path;
	let executionId = state.executionId;
	const query: Record<string, string | string[]> = { ...(request.query ?? {}) };
	if (request.url) {
		const url = new URL(request.url, HARNESS_BASE_URL);
		const [first, id, ...rest] = url.pathname.split('/').filter(Boolean);
		if (first === ENDPOINTS.formWaiting) endpoint = 'form';
		else if (first === ENDPOINTS.webhookWaiting) endpoint = 'webhook';
		else throw new Error(`Not a waiting webhook URL: ${request.url}`);
		executionId = id;
		suffix = rest.length ? rest.map(decodeURIComponent).join('/') : suffix;
		for (const key of new Set(url.searchParams.keys())) {
			const all = url.searchParams.getAll(key);
			query[key] ??= all.length > 1 ? all : all[0];
		}
	}
	const signature = request.signature ?? 'auto';
	if (signature === 'auto') {
		const { resumeToken } = loadRunExecutionData(state);
		if (query[WAITING_TOKEN_QUERY_PARAM] === undefined && resumeToken) {
			query[WAITING_TOKEN_QUERY_PARAM] = resumeToken;
		}
	} else if (typeof signature === 'string') {
		query[WAITING_TOKEN_QUERY_PARAM] = signature;
	}

	const base = endpoint === 'form' ? ENDPOINTS.formWaiting : ENDPOINTS.webhookWaiting;
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
	}
	const path = `/${base}/${executionId}${suffix ? `/${suffix.split('/').map(encodeURIComponent).join('/')}` : ''}`;
	const url = search.size ? `${path}?${search.toString()}` : path;

	const req = createFakeRequest({ method: request.method, url, headers: request.headers, body: request.body });
	req.query = query;
	req.params = { path: executionId, ...(suffix ? { suffix } : {}) };
	const res = new FakeResponse(req);
	const ctx: ResumeContext = { state };

	await handleRequest(endpoint, req, res, ctx);

	const run = ctx.runPromise ? await ctx.runPromise : undefined;
	// acquire-isolate-for-response.ts releases on response end; a node that never
	// ends the response would hang the request in n8n - here the call returns and
	// `responseEnded` is false.
	await ctx.releaseIsolate?.();

	return {
		statusCode: res.statusCode,
		headers: res.getHeaders(),
		body: res.body,
		rawBody: res.rawBody,
		bytes: Buffer.concat(res.chunks),
		renders: res.renders,
		responseEnded: res.writableEnded,
		resumed: run !== undefined,
		run,
		state: run?.state ?? state,
		webhookError: ctx.webhookError,
	};
}

export interface ExpireWaitOptions {
	/**
	 * Executions with `waitTill` = WAIT_INDEFINITELY (3000-01-01) are never picked up
	 * by n8n's WaitTracker; expireWait refuses them unless `force` is set.
	 */
	force?: boolean;
}

/** What n8n's WaitTracker does when `waitTill` has passed. */
export async function expireWait(
	state: HarnessExecutionState,
	options: ExpireWaitOptions = {},
): Promise<HarnessRun> {
	await ensureHarnessReady();
	// WaitTracker.getWaitingExecutions() only selects status 'waiting' rows with waitTill <= now + 70s
	if (state.status !== 'waiting' || !state.waitTill) {
		throw new Error(`Execution ${state.executionId} is not waiting (status: ${state.status})`);
	}
	if (!options.force && state.waitTill.getTime() >= WAIT_INDEFINITELY.getTime()) {
		throw new Error(
			`Execution ${state.executionId} waits indefinitely (waitTill ${state.waitTill.toISOString()}); n8n's WaitTracker never resumes it. Pass { force: true } to do it anyway.`,
		);
	}
	// WaitTracker.startExecution
	const fullExecutionData = loadRunExecutionData(state);
	if (state.finished) {
		throw new UnexpectedError('The execution did succeed and can so not be started again.');
	}
	if (!state.workflowData.id) {
		throw new UnexpectedError('Only saved workflows can be resumed.');
	}
	// workflowRunner.run({ executionMode, executionData, workflowData, pushRef, startedAt }, false, false,
	//   { executionId, expectedStatus: 'waiting' }) -> runMainProcess(restartExecutionId = executionId)
	return await startExecution({
		pkg: state.package,
		credentials: state.credentials,
		workflowData: state.workflowData,
		mode: state.mode,
		executionId: state.executionId,
		runExecutionData: fullExecutionData,
		restartExecutionId: state.executionId,
		startedAt: state.startedAt,
	});
}

// ---------------------------------------------------------------------------
// request handling

interface ResumeContext {
	state: HarnessExecutionState;
	/** the error the node's webhook() threw (the HTTP response only carries a generic message) */
	webhookError?: Error;
	runPromise?: Promise<HarnessRun>;
	releaseIsolate?: () => Promise<void>;
}

interface CallbackData {
	noWebhookResponse?: boolean;
	data?: unknown;
	responseCode?: number;
	headers?: Record<string, string>;
}

interface StaticResponse {
	kind: 'static';
	body: unknown;
	code: number;
	headers: ResponseHeaders;
}

type ResponderPayload = CallbackData | StaticResponse;

const isStaticResponse = (value: unknown): value is StaticResponse =>
	typeof value === 'object' && value !== null && (value as StaticResponse).kind === 'static';

/** webhook-response-headers.ts `WebhookResponseHeaders` (lower-cased names). */
class ResponseHeaders {
	private readonly headers = new Map<string, string>();

	static fromObject(obj: object): ResponseHeaders {
		const headers = new ResponseHeaders();
		for (const [k, v] of Object.entries(obj)) headers.set(k, String(v));
		return headers;
	}

	set(name: string, value: string) {
		this.headers.set(name.toLowerCase(), value);
	}

	addFromNodeHeaders(nodeHeaders: { entries?: Array<{ name: string; value: string }> }) {
		for (const { name, value } of nodeHeaders.entries ?? []) this.set(name, value);
	}

	applyToResponse(res: FakeResponse) {
		for (const [k, v] of this.headers) res.setHeader(k, v);
	}
}

/** webhook-responder.ts `WebhookResponder` */
class Responder {
	private responded = false;

	constructor(private readonly send: (error: Error | null, data: ResponderPayload) => void) {}

	get hasResponded() {
		return this.responded;
	}

	respondWith(data: ResponderPayload) {
		this.send(null, data);
		this.responded = true;
	}

	respondWithNoResponse() {
		this.send(null, { noWebhookResponse: true });
		this.responded = true;
	}

	respondWithError(error: Error) {
		this.send(error, {});
		this.responded = true;
	}

	markResponded() {
		this.responded = true;
	}
}

/** webhook-request-handler.ts `WebhookRequestHandler.handleRequest` */
async function handleRequest(
	endpoint: 'webhook' | 'form',
	req: FakeRequest,
	res: FakeResponse,
	ctx: ResumeContext,
): Promise<void> {
	const WEBHOOK_METHODS: HttpMethod[] = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'];
	if (req.method !== 'OPTIONS' && !WEBHOOK_METHODS.includes(req.method)) {
		sendErrorResponse(res, new Error(`The method ${req.method} is not supported.`) as never);
		return;
	}
	if (req.method === 'OPTIONS') {
		res.status(204).json({});
		return;
	}
	try {
		const response =
			endpoint === 'form'
				? await waitingFormsExecuteWebhook(req, res, ctx)
				: await waitingWebhooksExecuteWebhook(req, res, ctx);
		if (isStaticResponse(response)) {
			sendStaticResponse(res, response);
		} else if (response.noWebhookResponse !== true) {
			sendLegacyResponse(res, response.data, true, response.responseCode, response.headers);
		}
	} catch (e) {
		sendErrorResponse(res, e as never);
	}
}

function setResponseHeaders(res: FakeResponse, headers?: ResponseHeaders) {
	headers?.applyToResponse(res);
	if (!isWebhookHtmlSandboxingDisabled()) {
		res.setHeader('Content-Security-Policy', getHtmlSandboxCSP());
	}
}

function sendStaticResponse(res: FakeResponse, { body, code, headers }: StaticResponse) {
	if (code !== undefined) res.status(code);
	setResponseHeaders(res, headers);
	if (typeof body === 'string') res.send(body);
	else res.json(body);
}

function sendLegacyResponse(
	res: FakeResponse,
	data: unknown,
	raw?: boolean,
	responseCode?: number,
	responseHeader?: object,
) {
	if (responseCode !== undefined) res.status(responseCode);
	if (responseHeader) setResponseHeaders(res, ResponseHeaders.fromObject(responseHeader));
	if (raw === true) {
		if (typeof data === 'string') res.send(data);
		else res.json(data);
	} else {
		res.json({ data });
	}
}

// ---------------------------------------------------------------------------
// WaitingWebhooks / WaitingForms

/** webhook-request-sanitizer.ts: strips n8n's auth cookies from the request */
function sanitizeWebhookRequest(req: FakeRequest) {
	const DISALLOWED = new Set(['n8n-auth', 'n8n-browserId']);
	const header = req.headers.cookie;
	if (typeof header !== 'string') return;
	const cookies = header.split(';').map((c) => c.trim());
	const filtered = cookies.filter((c) => !DISALLOWED.has(c.split('=')[0]));
	if (filtered.length !== cookies.length) req.headers.cookie = filtered.join('; ');
}

function isSendAndWaitRequest(nodes: Record<string, INode>, suffix: string | undefined) {
	return (
		!!suffix &&
		Object.keys(nodes).some(
			(node) => nodes[node].id === suffix && nodes[node].parameters.operation === SEND_AND_WAIT_OPERATION,
		)
	);
}

/**
 * `this.createWorkflow(workflowData).nodes`: n8n checks node parameters on the
 * Workflow, whose constructor fills in parameter defaults (a saved workflow
 * omits parameters left at their default, such as a hidden `operation`).
 */
function workflowNodes(execution: LoadedExecution, ctx: ResumeContext): Record<string, INode> {
	return buildWorkflow(execution.workflowData, ctx.state.package, execution.mode, false).nodes;
}

/** WaitingWebhooks.parseSignatureParam: `signature=<token>[/<webhookPath>]` */
function parseSignatureParam(req: FakeRequest): { token?: string; webhookPath?: string } {
	const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
	let token = url.searchParams.get(WAITING_TOKEN_QUERY_PARAM) ?? undefined;
	let webhookPath: string | undefined;
	if (token?.includes('/')) {
		const slashIndex = token.indexOf('/');
		webhookPath = token.slice(slashIndex + 1);
		token = token.slice(0, slashIndex);
	}
	return { token, webhookPath };
}

/** WaitingWebhooks.validateSignature (HMAC of the URL, as minted by getSignedResumeUrl) */
function validateSignature(req: FakeRequest): { valid: boolean; webhookPath?: string } {
	const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
	const { token, webhookPath } = parseSignatureParam(req);
	if (!token) return { valid: false };
	url.searchParams.set(WAITING_TOKEN_QUERY_PARAM, token);
	return { valid: validateUrlSignature(token, url, Container.get(InstanceSettings).hmacSignatureSecret), webhookPath };
}

/** WaitingWebhooks.validateToken (resumeToken carried as ?signature=..., with the legacy `/suffix` fix-up) */
function validateToken(
	req: FakeRequest,
	runExecutionData: IRunExecutionData,
): { valid: boolean; webhookPath?: string } {
	const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
	let providedToken = url.searchParams.get(WAITING_TOKEN_QUERY_PARAM);
	const storedToken = runExecutionData.resumeToken;
	let webhookPath: string | undefined;
	if (!providedToken || !storedToken) return { valid: false };
	if (providedToken.includes('/')) {
		const slashIndex = providedToken.indexOf('/');
		webhookPath = providedToken.slice(slashIndex + 1);
		providedToken = providedToken.slice(0, slashIndex);
	}
	if (providedToken.length !== storedToken.length) return { valid: false };
	return { valid: timingSafeEqual(Buffer.from(providedToken), Buffer.from(storedToken)), webhookPath };
}

interface LoadedExecution {
	id: string;
	mode: WorkflowExecuteMode;
	status: HarnessExecutionState['status'];
	finished: boolean;
	data: IRunExecutionData;
	workflowData: IWorkflowBase;
}

function getExecution(ctx: ResumeContext, executionId: string): LoadedExecution | undefined {
	const { state } = ctx;
	if (executionId !== state.executionId) return undefined;
	return {
		id: state.executionId,
		mode: state.mode,
		status: state.status,
		finished: state.finished,
		data: loadRunExecutionData(state),
		workflowData: structuredClone(state.workflowData),
	};
}

/**
 * Token check, as n8n 2.41.1's WaitingWebhooks.executeWebhook does it
 * (dist/webhooks/waiting-webhooks.js): only when the execution has a
 * resumeToken; a request to a send-and-wait node's own path (suffix = node id)
 * is checked against the HMAC URL signature (validateSignature, minted by
 * getSignedResumeUrl), any other against the resumeToken (validateToken, the
 * `?signature=` of $execution.resumeUrl). A token may carry `/<webhookPath>`.
 * Returns a response to send when invalid, or the (possibly fixed-up) suffix.
 */
function checkWaitingToken(
	req: FakeRequest,
	res: FakeResponse,
	execution: LoadedExecution,
	suffix: string | undefined,
	ctx: ResumeContext,
): { rejected: true } | { rejected: false; suffix: string | undefined } {
	if (!execution.data.resumeToken) return { rejected: false, suffix };
	const nodes = workflowNodes(execution, ctx);
	const isSendAndWait = isSendAndWaitRequest(nodes, suffix);
	const { valid, webhookPath } = isSendAndWait ? validateSignature(req) : validateToken(req, execution.data);
	if (!valid) {
		if (isSendAndWait) res.status(401).render('form-invalid-token');
		else res.status(401).json({ error: 'Invalid token' });
		return { rejected: true };
	}
	if (!suffix && webhookPath) return { rejected: false, suffix: webhookPath };
	return { rejected: false, suffix };
}

/** waiting-webhooks.ts `WaitingWebhooks.executeWebhook` */
async function waitingWebhooksExecuteWebhook(
	req: FakeRequest,
	res: FakeResponse,
	ctx: ResumeContext,
): Promise<ResponderPayload> {
	const { path: executionId } = req.params;
	let { suffix } = req.params as { suffix?: string };
	sanitizeWebhookRequest(req);
	req.params = {};

	const execution = getExecution(ctx, executionId);

	if (execution) {
		const check = checkWaitingToken(req, res, execution, suffix, ctx);
		if (check.rejected) return { noWebhookResponse: true };
		suffix = check.suffix;
	}
	if (!execution) {
		throw new HttpResponseError(`The execution "${executionId}" does not exist.`, 404);
	}
	if (execution.status === 'running') {
		throw new HttpResponseError(`The execution "${executionId}" is running already.`, 409);
	}
	if (execution.data?.resultData?.error) {
		throw new HttpResponseError(`The execution "${executionId}" has finished with error.`, 409);
	}
	if (execution.finished) {
		if (isSendAndWaitRequest(workflowNodes(execution, ctx), suffix)) {
			res.render('send-and-wait-no-action-required', { isTestWebhook: false });
			return { noWebhookResponse: true };
		}
		throw new HttpResponseError(`The execution "${executionId} has finished already.`, 409);
	}
	const lastNodeExecuted = execution.data.resultData.lastNodeExecuted as string;
	return await getWebhookExecutionData({
		includeForms: false,
		execution,
		req,
		res,
		lastNodeExecuted,
		executionId,
		suffix,
		ctx,
	});
}

/** waiting-forms.ts `WaitingForms.executeWebhook` */
async function waitingFormsExecuteWebhook(
	req: FakeRequest,
	res: FakeResponse,
	ctx: ResumeContext,
): Promise<ResponderPayload> {
	const { path: executionId } = req.params;
	let { suffix } = req.params as { suffix?: string };
	sanitizeWebhookRequest(req);
	req.params = {};

	const execution = getExecution(ctx, executionId);

	if (execution) {
		const check = checkWaitingToken(req, res, execution, suffix === WAITING_FORMS_EXECUTION_STATUS ? undefined : suffix, ctx);
		if (check.rejected) return { noWebhookResponse: true };
		if (suffix !== WAITING_FORMS_EXECUTION_STATUS) suffix = check.suffix;
	}

	if (suffix === WAITING_FORMS_EXECUTION_STATUS) {
		let status: string = execution?.status ?? 'null';
		const { node } = execution?.data.executionData?.nodeExecutionStack[0] ?? {};
		if (node && status === 'waiting') {
			if (node.type === FORM_NODE_TYPE) status = 'form-waiting';
			if (node.type === WAIT_NODE_TYPE && node.parameters.resume === 'form') status = 'form-waiting';
		}
		res.send(status);
		return { noWebhookResponse: true };
	}

	if (!execution) {
		throw new HttpResponseError(`The execution "${executionId}" does not exist.`, 404);
	}
	if (execution.data.resultData.error) {
		throw new HttpResponseError(`The execution "${executionId}" has finished with error.`, 409);
	}
	if (execution.status === 'running') {
		return { noWebhookResponse: true };
	}

	let lastNodeExecuted = execution.data.resultData.lastNodeExecuted as string;
	if (execution.finished) {
		const workflow = buildWorkflow(execution.workflowData, ctx.state.package, execution.mode, false);
		const completionPage = findCompletionPage(workflow, execution.data.resultData.runData, lastNodeExecuted);
		if (!completionPage) {
			res.render('form-trigger-completion', {
				title: 'Form Submitted',
				message: 'Your response has been recorded',
				formTitle: 'Form Submitted',
			});
			return { noWebhookResponse: true };
		}
		lastNodeExecuted = completionPage;
	}

	return await getWebhookExecutionData({
		includeForms: true,
		execution,
		req,
		res,
		lastNodeExecuted,
		executionId,
		suffix,
		ctx,
	});
}

function findCompletionPage(workflow: Workflow, runData: IRunData, lastNodeExecuted: string) {
	const parentNodes = workflow.getParentNodes(lastNodeExecuted);
	const lastNode = workflow.nodes[lastNodeExecuted];
	if (!lastNode.disabled && lastNode.type === FORM_NODE_TYPE && lastNode.parameters.operation === 'completion') {
		return lastNodeExecuted;
	}
	return parentNodes.reverse().find((nodeName) => {
		const node = workflow.nodes[nodeName];
		return (
			!node.disabled &&
			node.type === FORM_NODE_TYPE &&
			node.parameters.operation === 'completion' &&
			runData[nodeName]
		);
	});
}

/** workflow-helpers.ts `preserveInputOverride` */
function preserveInputOverride(runDataArray: ITaskData[]): void {
	const entryToPop = runDataArray.pop()!;
	const preservedInputOverride = entryToPop?.inputOverride;
	if (preservedInputOverride) {
		runDataArray.push({
			startTime: 0,
			executionTime: 0,
			executionIndex: 0,
			source: entryToPop.source,
			inputOverride: preservedInputOverride,
		});
	}
}

/** webhook.service.ts `WebhookService.getNodeWebhooks` */
function getNodeWebhooks(
	workflow: Workflow,
	node: INode,
	additionalData: ReturnType<typeof buildAdditionalData>,
	ignoreRestartWebhooks = false,
): IWebhookData[] {
	if (node.disabled === true) return [];
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (nodeType.description.webhooks === undefined) return [];
	const workflowId = workflow.id || '__UNSAVED__';
	const mode = 'internal';
	const returnData: IWebhookData[] = [];
	for (const webhookDescription of nodeType.description.webhooks) {
		if (ignoreRestartWebhooks && webhookDescription.restartWebhook === true) continue;
		let nodeWebhookPath = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.path,
			mode,
			{},
		);
		if (nodeWebhookPath === undefined) continue;
		nodeWebhookPath = nodeWebhookPath.toString();
		if (nodeWebhookPath.startsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(1);
		if (nodeWebhookPath.endsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(0, -1);
		const isFullPath = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.isFullPath,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const restartWebhook = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.restartWebhook,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(workflowId, node, nodeWebhookPath, isFullPath, restartWebhook);
		const webhookMethods = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.httpMethod,
			mode,
			{},
			undefined,
			'GET',
		);
		if (webhookMethods === undefined) continue;
		let webhookId: string | undefined;
		if ((path.startsWith(':') || path.includes('/:')) && node.webhookId) webhookId = node.webhookId;
		String(webhookMethods)
			.split(',')
			.forEach((httpMethod) => {
				if (!httpMethod) return;
				returnData.push({
					httpMethod: httpMethod.trim() as IHttpRequestMethods,
					node: node.name,
					path,
					webhookDescription,
					workflowId,
					workflowExecuteAdditionalData: additionalData,
					webhookId,
				});
			});
	}
	return returnData;
}

/** WaitingWebhooks.getWebhookExecutionData */
async function getWebhookExecutionData({
	includeForms,
	execution,
	req,
	res,
	lastNodeExecuted,
	executionId,
	suffix,
	ctx,
}: {
	includeForms: boolean;
	execution: LoadedExecution;
	req: FakeRequest;
	res: FakeResponse;
	lastNodeExecuted: string;
	executionId: string;
	suffix?: string;
	ctx: ResumeContext;
}): Promise<ResponderPayload> {
	// WaitingWebhooks.disableNode / WaitingForms.disableNode (forms: POST only)
	if (!includeForms || req.method === 'POST') {
		execution.data.executionData!.nodeExecutionStack[0].node.disabled = true;
	}
	execution.data.waitTill = undefined;

	const nodeExecutionStack = execution.data.executionData?.nodeExecutionStack;
	const executionStackEntry = nodeExecutionStack?.[0];
	const isHitlNode = executionStackEntry?.node?.type?.endsWith('HitlTool') ?? false;
	if (isHitlNode && executionStackEntry) {
		executionStackEntry.node.rewireOutputLogTo = NodeConnectionTypes.AiTool;
	}

	const runDataArray = execution.data.resultData.runData[lastNodeExecuted];
	preserveInputOverride(runDataArray);

	const { workflowData } = execution;
	const workflow = buildWorkflow(workflowData, ctx.state.package, execution.mode, false);
	const workflowStartNode = workflow.getNode(lastNodeExecuted);
	if (workflowStartNode === null) {
		throw new HttpResponseError('Could not find node to process webhook.', 404);
	}

	// acquire-isolate-for-response.ts: the workflow's expression isolate is held
	// for the webhook handling and released when the response ends
	await workflow.expression.acquireIsolate();
	let released = false;
	const release = async () => {
		if (released) return;
		released = true;
		await workflow.expression.releaseIsolate();
	};
	res.on('finish', () => void release().catch(() => {}));
	res.on('close', () => void release().catch(() => {}));
	ctx.releaseIsolate = release;

	try {
		const credentialsHelper = new TestCredentialsHelper(ctx.state.package.credentialTypes, ctx.state.credentials);
		const additionalData = buildAdditionalData({
			credentialsHelper,
			workflowData,
			mode: execution.mode,
		});
		const webhookData = getNodeWebhooks(workflow, workflowStartNode, additionalData).find(
			(webhook) =>
				webhook.httpMethod === req.method &&
				webhook.path === (suffix ?? '') &&
				webhook.webhookDescription.restartWebhook === true &&
				(webhook.webhookDescription.nodeType === 'form' || false) === includeForms,
		);

		if (webhookData === undefined) {
			const errorMessage = `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.`;
			if (isSendAndWaitRequest(workflow.nodes, suffix)) {
				res.render('send-and-wait-no-action-required', { isTestWebhook: false });
				return { noWebhookResponse: true };
			}
			if (!execution.data.resultData.error && execution.status === 'waiting') {
				const childNodes = workflow.getChildNodes(lastNodeExecuted);
				const hasChildForms = childNodes.some(
					(node) =>
						workflow.nodes[node].type === FORM_NODE_TYPE || workflow.nodes[node].type === WAIT_NODE_TYPE,
				);
				if (hasChildForms) return { noWebhookResponse: true };
			}
			throw new HttpResponseError(errorMessage, 404);
		}

		const runExecutionData = execution.data;
		return await new Promise<ResponderPayload>((resolve, reject) => {
			executeWebhook({
				workflow,
				webhookData,
				workflowData,
				workflowStartNode,
				executionMode: execution.mode,
				runExecutionData,
				executionId: execution.id,
				req,
				res,
				ctx,
				callback: (error, data) => (error !== null ? reject(error) : resolve(data)),
			}).catch(reject);
		});
	} finally {
		if (res.writableEnded) await release();
	}
}

// ---------------------------------------------------------------------------
// webhook-helpers.ts

const SUPPORTED_RESPONSE_MODES = new Set(['onReceived', 'lastNode', 'responseNode', 'formPage']);

/** webhook-execution-context.ts `WebhookExecutionContext` */
class WebhookExecutionContext {
	constructor(
		readonly workflow: Workflow,
		readonly workflowStartNode: INode,
		readonly webhookData: IWebhookData,
		readonly executionMode: WorkflowExecuteMode,
		readonly additionalKeys: IWorkflowDataProxyAdditionalKeys,
	) {}

	evaluateSimple<T>(propertyName: keyof IWebhookDescription & string, executeData?: IExecuteData, defaultValue?: T) {
		const native = resolveWebhookDescriptionField(
			this.workflowStartNode,
			this.webhookData.webhookDescription,
			propertyName,
		);
		if (native.resolved) return native.value as T | undefined;
		return this.workflow.expression.getSimpleParameterValue(
			this.workflowStartNode,
			this.webhookData.webhookDescription[propertyName] as string,
			this.executionMode,
			this.additionalKeys,
			executeData,
			defaultValue as never,
		) as T | undefined;
	}

	evaluateComplex<T>(propertyName: keyof IWebhookDescription & string, executeData?: IExecuteData, defaultValue?: T) {
		const native = resolveWebhookDescriptionField(
			this.workflowStartNode,
			this.webhookData.webhookDescription,
			propertyName,
		);
		if (native.resolved) return native.value as T | undefined;
		return this.workflow.expression.getComplexParameterValue(
			this.workflowStartNode,
			this.webhookData.webhookDescription[propertyName] as never,
			this.executionMode,
			this.additionalKeys,
			executeData,
			defaultValue as never,
		) as T | undefined;
	}
}

function autoDetectResponseMode(workflowStartNode: INode, workflow: Workflow, method: string): string | undefined {
	const hasChildMatching = (predicate: (node: INode) => boolean) =>
		workflow.getChildNodes(workflowStartNode.name).some((nodeName) => predicate(workflow.nodes[nodeName]));
	const isEnabledFormPageNode = (node: INode) => {
		if (node.disabled) return false;
		if (node.type === FORM_NODE_TYPE) return true;
		return node.type === WAIT_NODE_TYPE && node.parameters.resume === 'form';
	};
	if (workflowStartNode.type === FORM_TRIGGER_NODE_TYPE && method === 'POST' && hasChildMatching(isEnabledFormPageNode)) {
		return 'formPage';
	}
	if (
		workflowStartNode.type === FORM_NODE_TYPE &&
		method === 'POST' &&
		hasChildMatching((node) => node.type === FORM_NODE_TYPE && !node.disabled)
	) {
		return 'formPage';
	}
	if (workflowStartNode.type === WAIT_NODE_TYPE && workflowStartNode.parameters.resume !== 'form') {
		return undefined;
	}
	if (workflowStartNode.type === FORM_NODE_TYPE && workflowStartNode.parameters.operation === 'completion') {
		return 'onReceived';
	}
	const isFormOrWaitPost = [FORM_NODE_TYPE, WAIT_NODE_TYPE].includes(workflowStartNode.type) && method === 'POST';
	if (isFormOrWaitPost && hasChildMatching(isEnabledFormPageNode)) return 'responseNode';
	return undefined;
}

function handleFormRedirectionCase(data: CallbackData, workflowStartNode: INode): CallbackData {
	if (workflowStartNode.type === WAIT_NODE_TYPE && workflowStartNode.parameters.resume !== 'form') return data;
	if (
		[FORM_NODE_TYPE, FORM_TRIGGER_NODE_TYPE, WAIT_NODE_TYPE].includes(workflowStartNode.type) &&
		(data?.headers as IDataObject)?.location &&
		String(data?.responseCode).startsWith('3')
	) {
		const locationUrl = String((data?.headers as IDataObject)?.location);
		let validatedUrl: string | undefined;
		try {
			validatedUrl = tryToParseUrl(locationUrl);
		} catch {
			// invalid URL, don't redirect
		}
		data.responseCode = 200;
		if (validatedUrl) data.data = { redirectURL: validatedUrl };
		delete (data.headers as IDataObject).location;
	}
	return data;
}

function webhookErrorMessage(error: unknown, webhookType: 'Form' | 'Webhook'): string {
	if (error instanceof NodeOperationError && error.type === 'manual-form-test') return error.message;
	if (error instanceof WorkflowConfigurationError) return error.message;
	return `Workflow ${webhookType} Error: Workflow could not be started!`;
}

function getLastExecutedNodeData(run: HarnessRun): ITaskData | undefined {
	const { runData, lastNodeExecuted } = run.run.data.resultData;
	if (lastNodeExecuted === undefined) return undefined;
	const runs = runData[lastNodeExecuted];
	return runs?.[runs.length - 1];
}

function extractLastNodeResponse(
	context: WebhookExecutionContext,
	responseDataType: string | undefined,
	lastNodeTaskData: ITaskData,
	checkAllMainOutputs: boolean,
): { ok: true; body: unknown; contentType?: string } | { ok: false; error: Error } {
	const firstNonEmpty = (): INodeExecutionData[] | undefined => {
		for (const branch of lastNodeTaskData.data?.main ?? []) {
			if (branch && branch.length > 0) return branch;
			if (!checkAllMainOutputs) break;
		}
		return undefined;
	};
	if (responseDataType === 'firstEntryJson') {
		const first = firstNonEmpty()?.[0];
		if (first === undefined) return { ok: false, error: new UnexpectedError('No item to return was found') };
		let body: unknown = first.json;
		const responsePropertyName = context.evaluateSimple<string>('responsePropertyName');
		if (responsePropertyName !== undefined) {
			body = responsePropertyName.split('.').reduce<unknown>((acc, key) => (acc as IDataObject)?.[key], body);
		}
		return { ok: true, body, contentType: context.evaluateSimple<string>('responseContentType') };
	}
	if (responseDataType === 'firstEntryBinary') {
		return { ok: false, error: new UnexpectedError('firstEntryBinary responses are not supported by the test harness') };
	}
	if (responseDataType === 'noData') return { ok: true, body: undefined };
	return { ok: true, body: (firstNonEmpty() ?? []).map((entry) => entry.json) };
}

/** webhook-helpers.ts `executeWebhook` (engine v1 path, execution being resumed) */
async function executeWebhook({
	workflow,
	webhookData,
	workflowData,
	workflowStartNode,
	executionMode,
	runExecutionData,
	executionId,
	req,
	res,
	ctx,
	callback,
}: {
	workflow: Workflow;
	webhookData: IWebhookData;
	workflowData: IWorkflowBase;
	workflowStartNode: INode;
	executionMode: WorkflowExecuteMode;
	runExecutionData: IRunExecutionData;
	executionId: string;
	req: FakeRequest;
	res: FakeResponse;
	ctx: ResumeContext;
	callback: (error: Error | null, data: ResponderPayload) => void;
}): Promise<void> {
	const responder = new Responder(callback);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(workflowStartNode.type, workflowStartNode.typeVersion);
	const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: executionId };
	const context = new WebhookExecutionContext(workflow, workflowStartNode, webhookData, executionMode, additionalKeys);

	// prepareWebhookAdditionalData(): getBase() + executionId + httpRequest/httpResponse
	const additionalData = buildAdditionalData({
		credentialsHelper: new TestCredentialsHelper(ctx.state.package.credentialTypes, ctx.state.credentials),
		workflowData,
		mode: executionMode,
		executionId,
	});
	additionalData.httpRequest = req as never;
	additionalData.httpResponse = res as never;

	// evaluateResponseOptions()
	const responseMode =
		autoDetectResponseMode(workflowStartNode, workflow, req.method) ??
		context.evaluateSimple<string>('responseMode', undefined, 'onReceived')!;
	const responseCode = context.evaluateSimple<number>('responseCode', undefined, 200)!;
	const responseData = context.evaluateComplex<string>('responseData', undefined, 'firstEntryJson');
	const checkAllMainOutputs = false;

	if (!SUPPORTED_RESPONSE_MODES.has(responseMode)) {
		responder.respondWithError(new UnexpectedError(`The response mode '${responseMode}' is not valid!`));
		return;
	}

	try {
		// parseRequestBody(): typeVersion 1 nodes may opt out with options.binaryData
		let skipParse = false;
		if (workflowStartNode.typeVersion === 1) {
			skipParse = !!workflow.expression.getSimpleParameterValue(
				workflowStartNode,
				'={{$parameter["options"]["binaryData"]}}',
				executionMode,
				additionalKeys,
				undefined,
				false,
			);
		}
		const parsable = (ct?: string) =>
			!!ct &&
			(ct.startsWith('application/json') ||
				ct.startsWith('text/plain') ||
				ct.startsWith('application/x-www-form-urlencoded') ||
				ct.endsWith('/xml') ||
				ct.endsWith('+xml'));
		if (!skipParse && (workflowStartNode.typeVersion === 1 || parsable(req.contentType) || req.contentType === 'multipart/form-data')) {
			await parseBody(req);
		}

		// invokeWebhook() -> WebhookService.runWebhook()
		let webhookResultData: IWebhookResponseData;
		try {
			const webhookContext = new WebhookContext(
				workflow,
				workflowStartNode,
				additionalData,
				executionMode,
				webhookData,
				[],
				runExecutionData,
			);
			webhookResultData =
				nodeType instanceof NodeClass
					? await nodeType.webhook!(webhookContext)
					: ((await nodeType.webhook!.call(webhookContext)) as IWebhookResponseData);
		} catch (e) {
			const webhookType = ['formTrigger', 'form'].includes(nodeType.description.name) ? 'Form' : 'Webhook';
			responder.respondWithError(new UnexpectedError(webhookErrorMessage(e, webhookType)));
			ctx.webhookError = e as Error;
			return; // resumed executions stop here (executionId !== undefined)
		}

		// evaluateResponseHeaders()
		const responseHeaders = new ResponseHeaders();
		if (webhookData.webhookDescription.responseHeaders !== undefined) {
			const evaluated = context.evaluateComplex<{ entries?: Array<{ name: string; value: string }> }>(
				'responseHeaders',
			);
			if (evaluated) responseHeaders.addFromNodeHeaders(evaluated);
		}
		if (!res.headersSent) responseHeaders.applyToResponse(res);

		// handleImmediateWebhookResponse()
		if (webhookResultData.noWebhookResponse === true && !responder.hasResponded) {
			responder.respondWithNoResponse();
		}
		if (webhookResultData.workflowData === undefined) {
			if (!responder.hasResponded) {
				responder.respondWith({
					data:
						webhookResultData.webhookResponse !== undefined
							? webhookResultData.webhookResponse
							: { message: 'Webhook call received' },
					responseCode,
				});
			}
			return;
		}

		const shouldDeferOnReceivedResponse = responseMode === 'onReceived' && !responder.hasResponded;

		// prepareExecutionData(): restarting an existing execution
		const resumingNodeExecutionData = runExecutionData.executionData!.nodeExecutionStack[0];
		resumingNodeExecutionData.data.main = webhookResultData.workflowData ?? [];
		resumingNodeExecutionData.metadata = { ...resumingNodeExecutionData.metadata, forwardAllOutputs: true };
		if (['manual', 'evaluation'].includes(executionMode)) {
			runExecutionData.resultData.pinData = workflowData.pinData;
		}

		// 'responseNode' mode: the response comes from a "Respond to Webhook" node (hook 'sendResponse')
		let onSendResponse: ((response: IDataObject) => void) | undefined;
		if (responseMode === 'responseNode') {
			onSendResponse = (response) => {
				responder.markResponded();
				const r = response as { body?: unknown; headers?: Record<string, string>; statusCode?: number };
				let data: CallbackData = { data: r.body, headers: r.headers, responseCode: r.statusCode };
				data = handleFormRedirectionCase(data, workflowStartNode);
				callback(null, data);
			};
		}

		// WorkflowRunner.run(runData, true, ..., { executionId, expectedStatus: 'waiting' })
		const runPromise = startExecution({
			pkg: ctx.state.package,
			credentials: ctx.state.credentials,
			workflowData,
			mode: executionMode,
			executionId,
			runExecutionData,
			restartExecutionId: executionId,
			startedAt: ctx.state.startedAt,
			onSendResponse,
		});
		ctx.runPromise = runPromise;

		if (shouldDeferOnReceivedResponse) {
			additionalKeys.$executionId = executionId;
			additionalKeys.$execution = {
				id: executionId,
				mode: executionMode === 'manual' ? 'test' : 'production',
				resumeUrl: `${additionalData.webhookWaitingBaseUrl}/${executionId}`,
				resumeFormUrl: `${additionalData.formWaitingBaseUrl}/${executionId}`,
			};
			const evaluatedResponseData = context.evaluateComplex<string>('responseData', undefined, 'firstEntryJson');
			// extractWebhookOnReceivedResponse()
			let body: unknown;
			if (evaluatedResponseData === 'noData') body = undefined;
			else if (evaluatedResponseData) body = evaluatedResponseData;
			else if (webhookResultData.webhookResponse !== undefined) body = webhookResultData.webhookResponse;
			else body = { message: 'Workflow was started' };
			responder.respondWith({ kind: 'static', body, code: responseCode, headers: responseHeaders });
		}

		if (responseMode === 'formPage' && !responder.hasResponded) {
			const formUrl = new URL(`${additionalData.formWaitingBaseUrl}/${executionId}`);
			if (runExecutionData.resumeToken) formUrl.searchParams.set(WAITING_TOKEN_QUERY_PARAM, runExecutionData.resumeToken);
			res.send({ formWaitingUrl: formUrl.toString() });
			responder.respondWithNoResponse();
		}

		if (!responder.hasResponded) {
			const run = await runPromise;
			if (responder.hasResponded) return;
			const lastNodeTaskData = getLastExecutedNodeData(run);
			if (run.run.data.resultData.error || lastNodeTaskData?.error !== undefined) {
				responder.respondWith({ data: { message: 'Error in workflow' }, responseCode: 500 });
				return;
			}
			if (responseMode === 'responseNode') {
				responder.respondWith({ data: undefined, responseCode });
				return;
			}
			if (lastNodeTaskData === undefined) {
				responder.respondWith({
					data: { message: 'Workflow executed successfully but the last node did not return any data' },
					responseCode,
				});
				return;
			}
			const result = extractLastNodeResponse(context, responseData, lastNodeTaskData, checkAllMainOutputs);
			if (!result.ok) {
				responder.respondWithError(result.error);
				return;
			}
			if (result.contentType) responseHeaders.set('content-type', result.contentType);
			responder.respondWith({ kind: 'static', body: result.body, code: responseCode, headers: responseHeaders });
		}
	} catch (e) {
		const error = e as Error & { httpStatusCode?: number };
		const responseError =
			typeof error.httpStatusCode === 'number' && error.httpStatusCode < 500
				? error
				: new UnexpectedError('There was a problem executing the workflow', { cause: error });
		if (responder.hasResponded) throw responseError;
		responder.respondWithError(responseError);
	}
}
