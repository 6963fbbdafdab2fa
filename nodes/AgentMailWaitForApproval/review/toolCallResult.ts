import type { IDataObject } from 'n8n-workflow';

import type { Decision } from './types';
import type { ToolCallState } from './toolCallTypes';

/**
 * What the AI Agent receives from the review. n8n reads `approved`: true runs
 * the gated tool with the agent's original input; false does not, and a
 * `chatInput` is passed back to the agent as the reviewer's feedback.
 */
function result(state: ToolCallState, decision: Decision, chatInput?: string): IDataObject {
	return {
		approved: decision.status === 'approved',
		...(chatInput !== undefined ? { chatInput } : {}),
		tool: state.call.toolName,
		toolCallId: state.call.toolCallId,
		decision: decision as unknown as IDataObject,
		notification: state.notification,
	};
}

function decisionOf(status: Decision['status'], via: Decision['via'], by: string | null, reason: string | null, at: string): Decision {
	return { status, by, via, at, reason, edited: false, changes: {} };
}

export function approvedToolCall(state: ToolCallState, by: string | null, at: string): IDataObject {
	return result(state, decisionOf('approved', 'form', by, null, at));
}

export function rejectedToolCall(state: ToolCallState, by: string | null, reason: string, at: string): IDataObject {
	const decision = decisionOf('rejected', 'form', by, reason || null, at);
	return result(state, decision, reason || undefined);
}

/** The denial n8n forwards when nobody decided in time (saved as the stack input before waiting). */
export function expiredToolCall(state: ToolCallState): IDataObject {
	const reason = `Nobody approved this tool call before the review expired at ${state.expiresAt}; the tool was not run.`;
	return result(state, decisionOf('expired', 'timeout', null, reason, state.expiresAt), reason);
}
