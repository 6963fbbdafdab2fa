import {
	nodeNameToToolName,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ITaskMetadata,
} from 'n8n-workflow';

import { idempotencyKeyFor, toNodeError, type ValidId } from '../../shared/transport';
import { sendNotification } from './notify';
import { approvalKey, notificationInbox, readApprovers } from './prepare';
import { DECISION_GRACE_MS, waitMilliseconds } from './settings';
import { writeNodeContext } from './state';
import { emailPreview, isAgentMailTool } from './toolCallEmail';
import { toolCallNotification } from './toolCallNotify';
import { expiredToolCall } from './toolCallResult';
import type { ToolCallState, ToolCallView, ToolParameter } from './toolCallTypes';

export const TOOL_CALL_CONTEXT_KEY = 'agentMailToolReview';

/** The tool call n8n hands the review node: { tool, toolParameters, toolCallId, … } on its input item. */
function toolCallInput(ctx: IExecuteFunctions): IDataObject {
	const [item] = ctx.getInputData();
	return item?.json ?? {};
}

function parametersOf(input: unknown): ToolParameter[] {
	if (input && typeof input === 'object' && !Array.isArray(input)) {
		return Object.entries(input as IDataObject).map(([key, value]) => ({ key, value }));
	}
	return input === undefined ? [] : [{ key: 'input', value: input }];
}

function readMessage(ctx: IExecuteFunctions): string {
	try {
		return String(ctx.getNodeParameter('message', 0, '') ?? '');
	} catch {
		return '';
	}
}

/**
 * The tool node the agent called, among those connected to this review node
 * (n8n names a node's tool after the node: nodeNameToToolName), and the email
 * it would send if it is an AgentMail one.
 */
function gatedTool(ctx: IExecuteFunctions, toolName: string, toolParameters: IDataObject): Pick<ToolCallView, 'gatedNode' | 'email'> {
	const tools = ctx.getParentNodes(ctx.getNode().name, {
		connectionType: NodeConnectionTypes.AiTool,
		depth: 1,
		includeNodeParameters: true,
	});
	const tool = tools.find((candidate) => nodeNameToToolName(candidate.name) === toolName) ?? (tools.length === 1 ? tools[0] : undefined);
	if (!tool) return { gatedNode: null, email: null };
	const email = isAgentMailTool(tool.type) ? emailPreview(tool.parameters ?? {}, toolParameters) : null;
	return { gatedNode: tool.name, email };
}

function notifyFromInbox(ctx: IExecuteFunctions): ValidId {
	const inbox = notificationInbox(ctx);
	if (!inbox) {
		throw new NodeOperationError(ctx.getNode(), 'Send Notification From: choose the inbox that emails the approvers', {
			itemIndex: 0,
			description: 'Reviewing a tool call there is no draft whose inbox could send the review link.',
		});
	}
	return inbox;
}

/**
 * execute() in tool mode (the node's `…HitlTool` variant under an AI Agent):
 * there is no draft. It emails the approvers the review link (tool name, who
 * asks, expiry; never the tool's input), saves the tool call for the review
 * page and parks the execution. On expiry n8n forwards the stack input as the
 * node's output, so that input becomes a denial saying it expired.
 */
export async function prepareToolReview(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const approvers = readApprovers(this);
	const from = notifyFromInbox(this);
	const expiresAt = new Date(Date.now() + waitMilliseconds(this)).toISOString();
	const requestedBy =
		String(this.getNodeParameter('requestedBy', 0, '') ?? '').trim() || this.getWorkflow().name || 'An n8n workflow';

	const input = toolCallInput(this);
	const toolParameters = (input.toolParameters ?? {}) as IDataObject;
	const toolName = String(input.tool ?? 'tool');
	const call: ToolCallView = {
		toolName,
		toolCallId: String(input.toolCallId ?? ''),
		message: readMessage(this),
		parameters: parametersOf(input.toolParameters),
		...gatedTool(this, toolName, toolParameters),
	};
	const key = [approvalKey(this), call.toolCallId].join(':');
	const state: ToolCallState = {
		version: 1,
		kind: 'toolCall',
		key,
		inboxId: from,
		requestedBy,
		expiresAt,
		requireReason: options.requireReason !== false,
		requireReviewer: options.requireReviewer === true,
		call,
		notification: {},
	};

	try {
		const sent = await sendNotification(
			this,
			from,
			approvers,
			toolCallNotification(state, this.getSignedResumeUrl()),
			idempotencyKeyFor('approval-notify', key),
		);
		state.notification = { message_id: sent.message_id ?? null, thread_id: sent.thread_id ?? null, inbox_id: from };
	} catch (error) {
		const failure = toNodeError(node, error, 0);
		failure.message = `Could not notify the approvers: ${failure.message}`;
		throw failure;
	}

	const executeData = this.getExecuteData();
	executeData.data.main = [[{ json: expiredToolCall(state), pairedItem: { item: 0 } }]];
	executeData.metadata = { ...executeData.metadata, forwardAllOutputs: true } as ITaskMetadata;
	writeNodeContext(this, TOOL_CALL_CONTEXT_KEY, state);
	await this.putExecutionToWait(new Date(Date.parse(expiresAt) + DECISION_GRACE_MS));
	return [[]];
}
