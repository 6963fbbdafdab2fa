/**
 * Building blocks for the workflows the e2e tests create through the public
 * API: a Webhook trigger, AgentMail and Wait for Approval nodes with the
 * sandbox credential, Set nodes, and a chain/connection shorthand.
 */
import { randomUUID } from 'crypto';

import { agentMailSandbox } from './agentmail';
import { uniqueSuffix } from './env';
import type { Credential, Execution, N8nApi, Workflow, WorkflowInput, WorkflowNode } from './n8nApi';
import { callWebhook, type HttpResult } from './webhook';

export const AGENTMAIL_NODE_TYPE = 'n8n-nodes-agentmail-hitl.agentMail';
export const APPROVAL_NODE_TYPE = 'n8n-nodes-agentmail-hitl.agentMailWaitForApproval';

export type CredentialRef = Pick<Credential, 'id' | 'name'>;

/** A resource locator value "By ID" (inbox, draft). */
export function byId(value: string): { __rl: true; mode: 'id'; value: string } {
	return { __rl: true, mode: 'id', value };
}

/** The sandbox inbox as a resource locator. */
export function sandboxInbox(): { __rl: true; mode: 'id'; value: string } {
	return byId(agentMailSandbox().inboxId);
}

/** Webhook trigger (POST PATH), answering at once ("onReceived"). */
export function webhookNode(path: string, name = 'Webhook'): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/** An AgentMail node (resource + operation + parameters) with the credential. */
export function agentMailNode(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: AGENTMAIL_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { agentMailApi: { id: credential.id, name: credential.name } },
		...extra,
	};
}

/** An AgentMail Wait for Approval node on the sandbox inbox (defaults as in the node). */
export function approvalNode(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown> = {},
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: APPROVAL_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: {
			inboxId: sandboxInbox(),
			draftId: byId('={{ $json.draft_id }}'),
			limitAmount: 24,
			limitUnit: 'hours',
			onTimeout: 'reject',
			onApproval: 'send',
			onRejection: 'label',
			notification: 'none',
			requestedBy: 'e2e agent',
			options: {},
			...parameters,
		},
		credentials: { agentMailApi: { id: credential.id, name: credential.name } },
		...extra,
	};
}

/** A Set node (v3.4) assigning string fields from expressions; keeps nothing else. */
export function setNode(name: string, fields: Record<string, string>, options: Record<string, unknown> = {}): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [0, 0],
		parameters: {
			assignments: {
				assignments: Object.entries(fields).map(([field, value]) => ({
					id: randomUUID(),
					name: field,
					type: 'string',
					value,
				})),
			},
			options,
		},
	};
}

/** `{ from: { main: [[to...], [to...]] } }` for each [from, outputIndex, to] edge. */
export function connect(edges: Array<[string, number, string]>): Record<string, unknown> {
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	for (const [from, output, to] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

/** Edges of a straight chain a -> b -> c (output 0). */
export function chain(...names: string[]): Array<[string, number, string]> {
	return names.slice(1).map((name, index) => [names[index], 0, name]);
}

/** Lay nodes out left to right (the editor shows them sensibly when someone opens the workflow). */
export function layout(nodes: WorkflowNode[]): WorkflowNode[] {
	return nodes.map((node, index) => ({ ...node, position: [index * 220, (index % 2) * 120] as [number, number] }));
}

/** A webhook-triggered workflow: its path, and helpers to trigger it and wait for the run. */
export interface WebhookWorkflow {
	workflow: Workflow;
	path: string;
	/** POST the body to the webhook; resolves with the execution once it reaches `statuses`. */
	run(
		body: unknown,
		statuses?: Parameters<N8nApi['waitForExecution']>[1],
		options?: { timeoutMs?: number },
	): Promise<{ execution: Execution; response: HttpResult }>;
}

/**
 * Create and activate a workflow whose first node is `webhookNode(path)`;
 * `build(path)` returns the rest. Executions are told apart by id: `run()`
 * waits for one that did not exist before the call.
 */
export async function createWebhookWorkflow(
	api: N8nApi,
	name: string,
	build: (webhook: WorkflowNode) => Omit<WorkflowInput, 'name'>,
): Promise<WebhookWorkflow> {
	const path = `e2e-${uniqueSuffix()}`;
	const definition = build(webhookNode(path));
	const workflow = await api.createAndActivate({ ...definition, name: `${name} ${path}` } as WorkflowInput);
	return {
		workflow,
		path,
		async run(body, statuses = ['success', 'error', 'crashed', 'canceled'], options = {}) {
			const before = (await api.listExecutions({ workflowId: workflow.id, limit: 100 })).map((e) => String(e.id));
			const response = await callWebhook(path, { body });
			if (response.status !== 200) {
				throw new Error(`webhook ${path} answered HTTP ${response.status}: ${response.text}`);
			}
			const execution = await api.waitForWorkflowExecution(workflow.id, statuses, {
				excludeIds: before,
				timeoutMs: options.timeoutMs ?? 60_000,
			});
			return { execution, response };
		},
	};
}

/** Names of the nodes that ran in an execution (fetched with data). */
export function ranNodes(execution: Execution): string[] {
	return Object.keys(execution.data?.resultData.runData ?? {});
}

/** The error a node's run ended with, if any. */
export function nodeError(execution: Execution, nodeName: string): { message: string; [key: string]: unknown } | undefined {
	return execution.data?.resultData.runData[nodeName]?.[0]?.error;
}
