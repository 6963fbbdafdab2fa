/**
 * Running executions with n8n-core's real `WorkflowExecute`, and the execution
 * "row" the harness keeps between runs (what n8n persists in the DB).
 *
 * Mirrors packages/cli/src/workflow-runner.ts `runMainProcess()`:
 *   - a new `Workflow` is built from the stored workflowData for every (re)start,
 *   - additionalData = getBase() + executionId + restartExecutionId + hooks,
 *   - with `executionData` present: `new WorkflowExecute(additionalData, mode,
 *     executionData).processRunExecutionData(workflow)`; otherwise
 *     ManualExecutionService's full run: `new WorkflowExecute(additionalData,
 *     'manual').run({ workflow, startNode, pinData })`.
 * and the persistence done by the cli lifecycle hooks:
 *   - status = `determineFinalExecutionStatus()` (execution-lifecycle/shared),
 *   - `data` is stored flatted-stringified (execution_data.data) and read back
 *     with `parse` for every resume, exactly like
 *     `executionRepository.findSingleExecution(id, { unflattenData: true })`.
 *     (So e.g. `waitTill` inside the data is a string after a round trip, as in n8n.)
 */
import { randomUUID } from 'node:crypto';

import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IRun,
	IRunData,
	IRunExecutionData,
	ITaskData,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import {
	HookRecorder,
	buildAdditionalData,
	createLifecycleHooks,
} from './additional-data';
import { ensureHarnessReady } from './container';
import type { CredentialsInput } from './credentials-helper';
import { CredentialStore, TestCredentialsHelper, credentialIdFor } from './credentials-helper';
import type { LoadedPackage } from './load-package';
import { lastLoadedPackage } from './load-package';
import { clearTriggerItems, setTriggerItems } from './manual-trigger';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require('flatted') as { parse(text: string): unknown; stringify(value: unknown): string };

/** A workflow as you would export it from the n8n editor (only nodes + connections required). */
export interface WorkflowInput {
	id?: string;
	name?: string;
	nodes: Array<Partial<INode> & Pick<INode, 'name' | 'type'>>;
	connections: IConnections;
	/** default: `{ executionOrder: 'v1' }` (what the editor sets on new workflows) */
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
	/** pinned data, only applied in 'manual' mode (as in n8n) */
	pinData?: IPinData;
}

/** The persisted execution (the `execution_entity` + `execution_data` rows). */
export interface HarnessExecutionState {
	readonly executionId: string;
	readonly mode: WorkflowExecuteMode;
	readonly status: ExecutionStatus;
	readonly finished: boolean;
	readonly waitTill?: Date;
	readonly startedAt: Date;
	readonly stoppedAt?: Date;
	readonly workflowData: IWorkflowBase;
	/** flatted string, like `execution_data.data` */
	readonly storedData: string;
	readonly package: LoadedPackage;
	readonly credentials: CredentialStore;
}

/** A fresh copy of the stored run data (like `findSingleExecution(..., { unflattenData: true })`). */
export function loadRunExecutionData(state: HarnessExecutionState): IRunExecutionData {
	return flatted.parse(state.storedData) as IRunExecutionData;
}

export interface HarnessRun {
	status: ExecutionStatus;
	finished: boolean;
	executionId: string;
	mode: WorkflowExecuteMode;
	runData: IRunData;
	error?: ExecutionError;
	waitTill?: Date;
	lastNodeExecuted?: string;
	/** Items of output `outputIndex` of `nodeName`, run `runIndex` (default: last run). */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** `.json` of `output(...)` */
	json(nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[];
	/** The ITaskData of a node run (default: last run). */
	taskData(nodeName: string, runIndex?: number): ITaskData;
	/** Number of entries in runData for the node (0 if it did not run). */
	runCount(nodeName: string): number;
	/** Lifecycle hook events of THIS run (a resume gets a new recorder). */
	hooks: HookRecorder;
	/** The raw IRun returned by WorkflowExecute. */
	run: IRun;
	/** What n8n would have persisted; pass it to callWaitingWebhook / expireWait. */
	state: HarnessExecutionState;
}

let executionCounter = 0;
/** n8n execution ids are the DB's auto-increment ids, i.e. numeric strings. */
export const nextExecutionId = () => String(++executionCounter);

let workflowCounter = 0;

/** What the editor/DB would hold for the workflow: ids, defaults, credentials references. */
export function normalizeWorkflow(
	input: WorkflowInput,
	pkg: LoadedPackage,
	credentials: CredentialStore,
	autoAttachCredentials: boolean,
): IWorkflowBase {
	const nodes: INode[] = structuredClone(input.nodes).map((partial) => {
		const nodeType = pkg.nodeTypes.getByName(partial.type);
		let latest: number;
		if ('nodeVersions' in nodeType) {
			latest = nodeType.currentVersion;
		} else {
			const versions = nodeType.description.version;
			latest = Array.isArray(versions) ? Math.max(...versions) : versions;
		}
		const typeVersion = partial.typeVersion ?? latest;
		const node: INode = {
			id: partial.id ?? randomUUID(),
			position: partial.position ?? [0, 0],
			parameters: partial.parameters ?? {},
			typeVersion,
			...partial,
		} as INode;
		node.typeVersion = typeVersion;

		const versioned = NodeHelpers.getVersionedNodeType(nodeType, typeVersion);
		if (versioned.description.webhooks?.length && !node.webhookId) node.webhookId = randomUUID();
		if (autoAttachCredentials) {
			for (const { name } of versioned.description.credentials ?? []) {
				if (credentials.has(name) && !node.credentials?.[name]) {
					node.credentials = { ...node.credentials, [name]: { id: credentialIdFor(name), name } };
				}
			}
		}
		return node;
	});

	const now = new Date();
	return {
		id: input.id ?? `harness-workflow-${++workflowCounter}`,
		name: input.name ?? 'Harness workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes,
		connections: structuredClone(input.connections),
		settings: input.settings ?? { executionOrder: 'v1' },
		staticData: input.staticData ?? {},
		pinData: input.pinData,
		createdAt: now,
		updatedAt: now,
	} as IWorkflowBase;
}

/** packages/cli/src/execution-lifecycle/shared/shared-hook-functions.ts `determineFinalExecutionStatus` */
export function determineFinalExecutionStatus(runData: IRun): ExecutionStatus {
	const workflowHasCrashed = runData.status === 'crashed';
	const workflowWasCanceled = runData.status === 'canceled';
	const workflowHasFailed = runData.status === 'error';
	const workflowDidSucceed =
		!runData.data.resultData?.error &&
		!workflowHasCrashed &&
		!workflowWasCanceled &&
		!workflowHasFailed;
	let workflowStatusFinal: ExecutionStatus = workflowDidSucceed ? 'success' : 'error';
	if (workflowHasCrashed) workflowStatusFinal = 'crashed';
	if (workflowWasCanceled) workflowStatusFinal = 'canceled';
	if (runData.waitTill) workflowStatusFinal = 'waiting';
	return workflowStatusFinal;
}

export function buildWorkflow(
	workflowData: IWorkflowBase,
	pkg: LoadedPackage,
	mode: WorkflowExecuteMode,
	withPinData = true,
) {
	// cli runMainProcess: `pinData` only for 'manual' / 'evaluation'
	const pinData =
		withPinData && ['manual', 'evaluation'].includes(mode) ? workflowData.pinData : undefined;
	return new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: structuredClone(workflowData.nodes),
		connections: structuredClone(workflowData.connections),
		active: workflowData.activeVersionId !== null && workflowData.activeVersionId !== undefined,
		nodeTypes: pkg.nodeTypes,
		staticData: workflowData.staticData,
		settings: workflowData.settings ?? {},
		pinData,
	});
}

export interface StartOptions {
	pkg: LoadedPackage;
	credentials: CredentialStore;
	workflowData: IWorkflowBase;
	mode: WorkflowExecuteMode;
	executionId: string;
	/** continue an existing execution (resume); omitted = new run */
	runExecutionData?: IRunExecutionData;
	restartExecutionId?: string;
	/** new 'manual' runs: items the manual trigger emits */
	triggerItems?: IDataObject[];
	startNodeName?: string;
	startedAt?: Date;
	/** cli WorkflowRunner: `hooks.addHandler('sendResponse', ...)` (Respond to Webhook node) */
	onSendResponse?: (response: IDataObject) => void;
}

/** cli WorkflowRunner.runMainProcess + the persistence of the lifecycle hooks. */
export async function startExecution(options: StartOptions): Promise<HarnessRun> {
	const { pkg, credentials, workflowData, mode, executionId } = options;
	const workflow = buildWorkflow(workflowData, pkg, mode);
	const recorder = new HookRecorder();
	const hooks = createLifecycleHooks(mode, executionId, workflowData, recorder);
	if (options.onSendResponse) {
		const onSendResponse = options.onSendResponse;
		hooks.addHandler('sendResponse', (response) => onSendResponse(response as unknown as IDataObject));
	}
	const settings = workflowData.settings ?? {};
	const additionalData = buildAdditionalData({
		credentialsHelper: new TestCredentialsHelper(pkg.credentialTypes, credentials),
		workflowData,
		mode,
		executionId,
		restartExecutionId: options.restartExecutionId,
		hooks,
		// cli: timeout = settings.executionTimeout ?? executions.timeout (-1), capped at
		// executions.maxTimeout (3600s); soft, checked by WorkflowExecute between nodes
		// (the cli's additional cancel timer is not reproduced)
		executionTimeoutTimestamp:
			settings.executionTimeout !== undefined && settings.executionTimeout > 0
				? Date.now() + Math.min(settings.executionTimeout, 3600) * 1000
				: undefined,
	});

	const startedAt = options.startedAt ?? new Date();
	let run: IRun;
	try {
		if (options.runExecutionData) {
			const workflowExecute = new WorkflowExecute(additionalData, mode, options.runExecutionData);
			run = await workflowExecute.processRunExecutionData(workflow);
		} else if (mode === 'manual') {
			setTriggerItems(executionId, options.triggerItems ?? [{}]);
			try {
				const startNode = options.startNodeName
					? (workflow.getNode(options.startNodeName) ?? undefined)
					: undefined;
				const workflowExecute = new WorkflowExecute(additionalData, mode);
				run = await workflowExecute.run({ workflow, startNode, pinData: workflow.pinData });
			} finally {
				clearTriggerItems(executionId);
			}
		} else {
			// A trigger that emitted in production: ActiveWorkflowManager ->
			// WorkflowExecutionService.runWorkflow(): stack = [{ node, data: { main: emitted } }].
			const startNode = options.startNodeName
				? workflow.getNode(options.startNodeName)
				: workflow.getStartNode();
			if (!startNode) throw new Error('No node to start the workflow from could be found');
			const items = (options.triggerItems ?? [{}]).map((json) => ({ json }));
			const runExecutionData = createRunExecutionData({
				executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [items] }, source: null }] },
			});
			const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
			run = await workflowExecute.processRunExecutionData(workflow);
		}
	} catch (e) {
		// cli: WorkflowHasIssuesError -> failExecution(), other errors -> processError()
		const error = e as Error;
		run = {
			data: createRunExecutionData({
				resultData: {
					error: { ...error, message: error.message, stack: error.stack } as ExecutionError,
					runData: {},
				},
			}),
			finished: false,
			mode,
			startedAt,
			stoppedAt: new Date(),
			status: 'error',
			storedAt: 'db',
		};
	}

	const status = determineFinalExecutionStatus(run);
	const state: HarnessExecutionState = {
		executionId,
		mode,
		status,
		finished: run.finished === true,
		waitTill: run.waitTill ? new Date(run.waitTill) : undefined,
		startedAt,
		stoppedAt: run.stoppedAt,
		workflowData: structuredClone(workflowData),
		storedData: flatted.stringify(run.data),
		package: pkg,
		credentials,
	};
	return toHarnessRun(run, status, recorder, state);
}

function toHarnessRun(
	run: IRun,
	status: ExecutionStatus,
	hooks: HookRecorder,
	state: HarnessExecutionState,
): HarnessRun {
	const runData = run.data.resultData.runData ?? {};
	const taskData = (nodeName: string, runIndex?: number): ITaskData => {
		const runs = runData[nodeName];
		if (!runs?.length) {
			throw new Error(
				`Node "${nodeName}" has no run data. Nodes with run data: ${Object.keys(runData).join(', ') || '(none)'}`,
			);
		}
		const index = runIndex ?? runs.length - 1;
		const task = runs[index];
		if (!task) throw new Error(`Node "${nodeName}" has no run ${index} (it ran ${runs.length} time(s))`);
		return task;
	};
	const output = (nodeName: string, outputIndex = 0, runIndex?: number): INodeExecutionData[] =>
		taskData(nodeName, runIndex).data?.main?.[outputIndex] ?? [];
	return {
		status,
		finished: run.finished === true,
		executionId: state.executionId,
		mode: run.mode,
		runData,
		error: run.data.resultData.error,
		waitTill: state.waitTill,
		lastNodeExecuted: run.data.resultData.lastNodeExecuted,
		output,
		json: (nodeName, outputIndex = 0, runIndex) =>
			output(nodeName, outputIndex, runIndex).map((item) => item.json),
		taskData,
		runCount: (nodeName) => runData[nodeName]?.length ?? 0,
		hooks,
		run,
		state,
	};
}

export interface RunWorkflowOptions {
	/** from `loadPackage()`; default: the package loaded last */
	package?: LoadedPackage;
	workflow: WorkflowInput;
	/** items the start node emits (default `[{}]`, like n8n's manual trigger) */
	items?: IDataObject[];
	/** decrypted credential data per credential type name */
	credentials?: CredentialsInput;
	/**
	 * 'manual' (default): like "Execute workflow" in the editor (ManualExecutionService,
	 * the manual trigger's trigger() runs). 'trigger' / 'webhook': like a production
	 * trigger that emitted `items` (the start node's code is not run).
	 */
	mode?: WorkflowExecuteMode;
	/** start node name (default: `workflow.getStartNode()`) */
	startNode?: string;
	/**
	 * Add `credentials: { <type>: { id, name } }` to nodes whose type declares a
	 * credential type present in `credentials` and that do not reference one
	 * (default true). With false, nodes must carry their own references; the id
	 * of the harness credential for type X is `harness-X`.
	 */
	autoAttachCredentials?: boolean;
}

/** Runs a workflow to completion, error, or until it is put to wait. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<HarnessRun> {
	await ensureHarnessReady();
	const pkg = options.package ?? lastLoadedPackage();
	const credentials = new CredentialStore(options.credentials ?? {});
	const workflowData = normalizeWorkflow(
		options.workflow,
		pkg,
		credentials,
		options.autoAttachCredentials ?? true,
	);
	return await startExecution({
		pkg,
		credentials,
		workflowData,
		mode: options.mode ?? 'manual',
		executionId: nextExecutionId(),
		triggerItems: options.items,
		startNodeName: options.startNode,
	});
}
