/**
 * Webhook-trigger and trigger() nodes as n8n activates and runs them (the
 * harness's other entry points start workflows from the manual trigger).
 *
 * Mirrors packages/cli:
 * - `ActiveWorkflowManager.addWebhooks` -> `WebhookService.createWebhookIfNotExists`:
 *   `checkExists`, and `create` when it answers false, through n8n-core's `HookContext`
 *   (activation `activate`, mode `trigger`; `manual` = the editor's test webhook).
 *   `deactivate()` = `WebhookService.deleteWebhook` (`delete`).
 * - `webhook-helpers.ts executeWebhook` for `responseMode: 'onReceived'`: `webhook()`
 *   through `WebhookContext`; `noWebhookResponse` -> the node wrote the response;
 *   no `workflowData` -> 200 `{ message: 'Webhook call received' }`; otherwise an
 *   execution starts with the stack `[{ node, data: { main: workflowData } }]`
 *   and the answer is 200 `{ message: 'Workflow was started' }`.
 * - `ActiveWorkflowManager` trigger activation (`TriggersAndPollers.runTrigger` +
 *   `getTriggerFunctions`): `startTrigger()` runs `trigger()`; each `emit` starts an execution.
 *
 * Static data lives in one object for the workflow's life, like n8n's
 * `workflow_entity.staticData`, saved after the activation hooks and kept by
 * a running trigger(); `deliver()` works on a copy that is never saved back.
 * `listen()` puts a real HTTP server in front of `deliver()` so that a real
 * sender (the sandbox's webhook dispatcher) can reach the node; the webhook
 * URLs the node registers then point at that server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Container } from '@n8n/di';
import { HookContext, TriggerContext, TriggersAndPollers, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	IWebhookData,
	IWorkflowBase,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, isNodeClassInstance } from 'n8n-workflow';

import { ENDPOINTS, HookRecorder, buildAdditionalData, createLifecycleHooks } from './additional-data';
import { ensureHarnessReady } from './container';
import type { CredentialsInput } from './credentials-helper';
import { CredentialStore, TestCredentialsHelper } from './credentials-helper';
import type { HarnessRun, WorkflowInput } from './execution';
import { buildWorkflow, nextExecutionId, normalizeWorkflow, startExecution } from './execution';
import { createFakeRequest, FakeResponse, parseBody } from './http';
import type { LoadedPackage } from './load-package';
import { lastLoadedPackage } from './load-package';

export interface TriggerHarnessOptions {
	package?: LoadedPackage;
	workflow: WorkflowInput;
	credentials?: CredentialsInput;
	/** The trigger node (default: the first node). */
	nodeName?: string;
	/** 'trigger' (an active workflow, default) or 'manual' (the editor's "listen for test event"). */
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
}

export interface DeliveryResult {
	statusCode: number;
	body: unknown;
	/** The execution the delivery started, if any (already finished). */
	run?: HarnessRun;
}

export class TriggerHarness {
	readonly pkg: LoadedPackage;
	readonly credentials: CredentialStore;
	readonly workflowData: IWorkflowBase;
	readonly nodeName: string;
	readonly mode: 'trigger' | 'manual';
	/** Every execution started by a delivery or an emit, in order. */
	readonly executions: HarnessRun[] = [];
	private webhookBase?: string;
	private server?: Server;
	private closeTrigger?: () => Promise<void>;
	private readonly runs: Array<Promise<HarnessRun>> = [];

	constructor(options: TriggerHarnessOptions) {
		this.pkg = options.package ?? lastLoadedPackage();
		this.credentials = new CredentialStore(options.credentials ?? {});
		this.workflowData = normalizeWorkflow(options.workflow, this.pkg, this.credentials, true);
		this.workflowData.staticData ??= {};
		this.nodeName = options.nodeName ?? this.workflowData.nodes[0].name;
		this.mode = options.mode ?? 'trigger';
	}

	get staticData(): IDataObject {
		return this.workflowData.staticData as IDataObject;
	}

	/** The node's static data (`getWorkflowStaticData('node')`). */
	get nodeStaticData(): IDataObject {
		return (this.staticData[`node:${this.nodeName}`] ?? {}) as IDataObject;
	}

	get node(): INode {
		return this.workflowData.nodes.find((node) => node.name === this.nodeName)!;
	}

	/** Changes node parameters, as saving an edited workflow does (static data is kept). */
	setParameters(parameters: IDataObject): void {
		Object.assign(this.node.parameters, parameters);
	}

	private additionalData(executionId?: string) {
		const additionalData = buildAdditionalData({
			credentialsHelper: new TestCredentialsHelper(this.pkg.credentialTypes, this.credentials),
			workflowData: this.workflowData,
			mode: this.mode,
			executionId,
		});
		if (this.webhookBase) {
			additionalData.webhookBaseUrl = `${this.webhookBase}/${ENDPOINTS.webhook}`;
			additionalData.webhookTestBaseUrl = `${this.webhookBase}/${ENDPOINTS.webhookTest}`;
		}
		return additionalData;
	}

	private workflow() {
		return buildWorkflow(this.workflowData, this.pkg, this.mode);
	}

	private webhookData(additionalData: ReturnType<TriggerHarness['additionalData']>): IWebhookData {
		const nodeType = this.pkg.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		const description = nodeType.description.webhooks?.[0];
		if (!description) throw new Error(`${this.node.type} has no webhooks`);
		return {
			httpMethod: 'POST' as IHttpRequestMethods,
			node: this.nodeName,
			path: `${this.node.webhookId}/${String(description.path)}`,
			webhookDescription: description,
			workflowId: this.workflowData.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: this.mode === 'manual',
		};
	}

	/** Runs one of `webhookMethods.default` through n8n-core's HookContext. */
	async hook(method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
		await ensureHarnessReady();
		const workflow = this.workflow();
		const node = workflow.getNode(this.nodeName)!;
		const nodeType = this.pkg.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = nodeType.webhookMethods?.default?.[method];
		if (!fn) throw new Error(`${node.type} has no webhookMethods.default.${method}`);
		const additionalData = this.additionalData();
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			this.mode,
			this.mode === 'manual' ? 'manual' : 'activate',
			this.webhookData(additionalData),
		);
		// cli: hook methods run with the workflow's expression isolate held
		return Boolean(await workflow.expression.withIsolate(async () => await fn.call(context)));
	}

	/** The URL the node registers (`getNodeWebhookUrl('default')`). */
	webhookUrl(): string {
		const base = this.mode === 'manual' ? this.additionalData().webhookTestBaseUrl : this.additionalData().webhookBaseUrl;
		return `${base}/${this.webhookData(this.additionalData()).path}`;
	}

	/** WebhookService.createWebhookIfNotExists. */
	async activate(): Promise<void> {
		if (!(await this.hook('checkExists'))) await this.hook('create');
	}

	async deactivate(): Promise<void> {
		await this.hook('delete');
	}

	/** One HTTP POST to the node's webhook, handled as n8n's webhook-helpers do. */
	async deliver(request: { headers?: Record<string, string>; body: string | Buffer }): Promise<DeliveryResult> {
		await ensureHarnessReady();
		const req = createFakeRequest({
			method: 'POST',
			url: `/${ENDPOINTS.webhook}/${this.webhookData(this.additionalData()).path}`,
			headers: { 'content-type': 'application/json', ...request.headers },
			body: request.body,
		});
		await parseBody(req);
		const res = new FakeResponse(req);
		// LiveWebhooks loads the workflow (and its static data) from the DB for every request, and
		// what webhook() writes there is not saved for it (only an execution's hooks save static
		// data, from their own Workflow object): each delivery starts from the stored copy and its
		// changes are dropped, the worst case a node's dedupe must survive.
		const stored = JSON.parse(JSON.stringify(this.staticData)) as IDataObject;
		const workflow = buildWorkflow({ ...this.workflowData, staticData: stored }, this.pkg, this.mode);
		const node = workflow.getNode(this.nodeName)!;
		const nodeType = this.pkg.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const additionalData = this.additionalData();
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		const context = new WebhookContext(workflow, node, additionalData, this.mode, this.webhookData(additionalData), [], null);
		let result: IWebhookResponseData;
		try {
			// acquire-isolate-for-response.ts: the isolate is held while the webhook is handled
			// WebhookService.runWebhook: class-style nodes (n8n's own Webhook node) get the context as argument
			result = await workflow.expression.withIsolate(async () =>
				isNodeClassInstance(nodeType)
					? ((await nodeType.webhook!(context)) as IWebhookResponseData)
					: ((await nodeType.webhook!.call(context)) as IWebhookResponseData),
			);
		} catch (error) {
			return { statusCode: 500, body: { code: 0, message: (error as Error).message } };
		}
		if (result.noWebhookResponse) return { statusCode: res.statusCode, body: res.body };
		if (result.workflowData === undefined) {
			return { statusCode: 200, body: result.webhookResponse ?? { message: 'Webhook call received' } };
		}
		const run = await this.start(node, result.workflowData);
		return { statusCode: 200, body: { message: 'Workflow was started' }, run };
	}

	private async start(node: INode, main: INodeExecutionData[][]): Promise<HarnessRun> {
		const promise = startExecution({
			pkg: this.pkg,
			credentials: this.credentials,
			// Without static data: n8n's Workflow wraps nested static data in proxies in place, which the
			// harness's stored execution (structuredClone) cannot hold; the trigger's state stays here.
			workflowData: { ...this.workflowData, staticData: undefined },
			mode: this.mode === 'manual' ? 'manual' : 'webhook',
			executionId: nextExecutionId(),
			runExecutionData: createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node, data: { main }, source: null }] },
			}),
		});
		this.runs.push(promise);
		const run = await promise;
		this.executions.push(run);
		return run;
	}

	/**
	 * A real HTTP endpoint in front of `deliver()` on 127.0.0.1 (random port);
	 * the node's webhook URLs point at it from now on.
	 */
	async listen(): Promise<string> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const headers: Record<string, string> = {};
				for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
				void this.deliver({ headers, body: Buffer.concat(chunks) }).then(
					(result) => res.writeHead(result.statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(result.body ?? null)),
					() => res.writeHead(500).end(),
				);
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.webhookBase = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this.webhookBase;
	}

	/**
	 * ActiveWorkflowManager's trigger activation: runs `trigger()`; every emit
	 * starts an execution (mode 'trigger'). In 'manual' mode resolves the
	 * first emit instead (TriggersAndPollers' manualTriggerResponse).
	 */
	async startTrigger(): Promise<void> {
		await ensureHarnessReady();
		const workflow = this.workflow();
		const node = workflow.getNode(this.nodeName)!;
		const additionalData = this.additionalData();
		// TriggersAndPollers (manual mode) hooks its promise handlers into the lifecycle hooks
		additionalData.hooks = createLifecycleHooks(this.mode, nextExecutionId(), this.workflowData, new HookRecorder());
		const emit = (data: INodeExecutionData[][]) => {
			void this.start(node, data);
		};
		const response = await workflow.expression.withIsolate(async () => await Container.get(TriggersAndPollers).runTriggerFunction(
			workflow,
			node,
			(wf, n, ad, mode, activation) =>
				new TriggerContext(wf, n, ad, mode, activation, emit, (error) => this.errors.push(error)),
			additionalData,
			this.mode,
			this.mode === 'manual' ? 'manual' : 'activate',
		));
		this.closeTrigger = response?.closeFunction;
		if (this.mode === 'manual' && response) {
			// WorkflowExecute.executeTriggerNode: manualTriggerFunction, then the first emit
			this.manualResponse = (async () => {
				await response.manualTriggerFunction?.();
				return await response.manualTriggerResponse!;
			})();
		}
	}

	/** 'manual' mode: what the trigger emitted first (the editor's "listen for test event"). */
	manualResponse?: Promise<INodeExecutionData[][]>;

	/** Errors the trigger reported with emitError. */
	readonly errors: Error[] = [];

	/** Resolves when `count` executions exist (or throws after `timeoutMs`). */
	async waitForExecutions(count: number, timeoutMs = 10_000): Promise<HarnessRun[]> {
		const until = Date.now() + timeoutMs;
		while (this.executions.length < count) {
			if (Date.now() > until) throw new Error(`expected ${count} executions, have ${this.executions.length}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await Promise.all(this.runs);
		return this.executions;
	}

	async close(): Promise<void> {
		await this.closeTrigger?.();
		this.closeTrigger = undefined;
		await Promise.allSettled(this.runs);
		if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}
}
