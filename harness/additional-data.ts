/**
 * `IWorkflowExecuteAdditionalData` and lifecycle hooks for harness runs.
 *
 * Mirrors packages/cli/src/workflow-execute-additional-data.ts `getBase()`:
 * URLs are built from the webhook base URL + the default endpoint names of
 * @n8n/config (`webhook`, `webhook-waiting`, `form-waiting`, ...), and
 * `instanceBaseUrl` gets the trailing slash getBase adds. n8n-core computes
 * `$execution.resumeUrl` = `${webhookWaitingBaseUrl}/${executionId}?signature=<resumeToken>`
 * and `this.getSignedResumeUrl()` from these fields.
 *
 * Not available to nodes (throw a clear error): `executeWorkflow` (sub-workflows),
 * `startRunnerTask` (Code node task runners), agents.
 */
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ExecutionStatus,
	IRun,
	IRunExecutionData,
	ITaskData,
	ITaskStartedData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials-helper';

/** Base URL of the (not running) n8n instance, as N8N's WEBHOOK_URL / editor base. */
export const HARNESS_BASE_URL = 'http://127.0.0.1:5678/';

export const ENDPOINTS = {
	rest: 'rest',
	form: 'form',
	formTest: 'form-test',
	formWaiting: 'form-waiting',
	webhook: 'webhook',
	webhookTest: 'webhook-test',
	webhookWaiting: 'webhook-waiting',
	mcp: 'mcp',
	mcpTest: 'mcp-test',
} as const;

export type HookName =
	| 'workflowExecuteBefore'
	| 'workflowExecuteResume'
	| 'workflowExecuteAfter'
	| 'nodeExecuteBefore'
	| 'nodeExecuteAfter'
	| 'sendResponse'
	| 'sendChunk'
	| 'nodeFetchedData';

export interface HookEvent {
	hook: HookName;
	/** node name for node hooks */
	nodeName?: string;
	/** executionStatus of the ITaskData for nodeExecuteAfter ('success' | 'error' | 'waiting' ...) */
	taskStatus?: string;
	/** error message of the ITaskData for nodeExecuteAfter */
	error?: string;
	/** IRun.status for workflowExecuteAfter */
	runStatus?: ExecutionStatus;
	at: number;
}

/** Records what n8n's lifecycle hooks see, in order. */
export class HookRecorder {
	readonly events: HookEvent[] = [];

	/** nodeExecuteBefore count for a node (one per node run - NOT per retry attempt). */
	nodeStarts(nodeName: string): number {
		return this.events.filter((e) => e.hook === 'nodeExecuteBefore' && e.nodeName === nodeName).length;
	}

	/** nodeExecuteAfter count for a node. */
	nodeFinishes(nodeName: string): number {
		return this.events.filter((e) => e.hook === 'nodeExecuteAfter' && e.nodeName === nodeName).length;
	}

	/** Node names in nodeExecuteBefore order. */
	nodeOrder(): string[] {
		return this.events.filter((e) => e.hook === 'nodeExecuteBefore').map((e) => e.nodeName!);
	}

	attachTo(hooks: ExecutionLifecycleHooks): void {
		const push = (event: Omit<HookEvent, 'at'>): void => {
			this.events.push({ ...event, at: Date.now() });
		};
		hooks.addHandler('workflowExecuteBefore', () => push({ hook: 'workflowExecuteBefore' }));
		hooks.addHandler('workflowExecuteResume', () => push({ hook: 'workflowExecuteResume' }));
		hooks.addHandler('workflowExecuteAfter', (run: IRun) =>
			push({ hook: 'workflowExecuteAfter', runStatus: run.status }),
		);
		hooks.addHandler('nodeExecuteBefore', (nodeName: string, _data: ITaskStartedData) =>
			push({ hook: 'nodeExecuteBefore', nodeName }),
		);
		hooks.addHandler(
			'nodeExecuteAfter',
			(nodeName: string, data: ITaskData, _runExecutionData: IRunExecutionData) =>
				push({
					hook: 'nodeExecuteAfter',
					nodeName,
					taskStatus: data.executionStatus,
					error: data.error?.message,
				}),
		);
		hooks.addHandler('sendResponse', () => push({ hook: 'sendResponse' }));
		hooks.addHandler('sendChunk', () => push({ hook: 'sendChunk' }));
	}
}

export interface AdditionalDataOptions {
	credentialsHelper: TestCredentialsHelper;
	workflowData: IWorkflowBase;
	mode: WorkflowExecuteMode;
	executionId?: string;
	/** cli WorkflowRunner sets this when resuming a waiting execution */
	restartExecutionId?: string;
	hooks?: ExecutionLifecycleHooks;
	userId?: string;
	getRunExecutionData?: (executionId: string) => Promise<IRunExecutionData | undefined>;
	executionTimeoutTimestamp?: number;
}

export function createLifecycleHooks(
	mode: WorkflowExecuteMode,
	executionId: string,
	workflowData: IWorkflowBase,
	recorder: HookRecorder,
): ExecutionLifecycleHooks {
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	recorder.attachTo(hooks);
	return hooks;
}

/** cli `WorkflowExecuteAdditionalData.getBase()` + what WorkflowRunner.runMainProcess adds. */
export function buildAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const base = HARNESS_BASE_URL;
	const workflowSettings: IWorkflowSettings = options.workflowData.settings ?? {};
	const additionalData: IWorkflowExecuteAdditionalData = {
		currentNodeExecutionIndex: 0,
		credentialsHelper: options.credentialsHelper,
		executeWorkflow: async () => {
			throw new UnexpectedError(
				'The test harness does not run sub-workflows (additionalData.executeWorkflow).',
			);
		},
		restApiUrl: base + ENDPOINTS.rest,
		instanceBaseUrl: base,
		formBaseUrl: base + ENDPOINTS.form,
		formTestBaseUrl: base + ENDPOINTS.formTest,
		formWaitingBaseUrl: base + ENDPOINTS.formWaiting,
		webhookBaseUrl: base + ENDPOINTS.webhook,
		webhookWaitingBaseUrl: base + ENDPOINTS.webhookWaiting,
		webhookTestBaseUrl: base + ENDPOINTS.webhookTest,
		mcpBaseUrl: base + ENDPOINTS.mcp,
		mcpTestBaseUrl: base + ENDPOINTS.mcpTest,
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		userId: options.userId,
		workflowId: options.workflowData.id,
		variables: {},
		workflowSettings,
		setExecutionStatus: () => {},
		getRunExecutionData: options.getRunExecutionData ?? (async () => undefined),
		getRuntimeCredential: async () => undefined,
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new UnexpectedError('The test harness has no task runners (Code node).');
		},
	} as IWorkflowExecuteAdditionalData;

	additionalData.restartExecutionId = options.restartExecutionId;
	additionalData.executionId = options.executionId;
	additionalData.hooks = options.hooks;
	return additionalData;
}
