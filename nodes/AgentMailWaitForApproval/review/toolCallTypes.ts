import type { IDataObject } from 'n8n-workflow';

/** One parameter of the tool call as the agent chose it. */
export interface ToolParameter {
	key: string;
	value: unknown;
}

/**
 * The email a gated AgentMail send, reply or draft operation would produce,
 * as far as the tool node's parameters and the agent's input say.
 */
export interface EmailPreview {
	/** e.g. "Message: Send". */
	operation: string;
	from: string;
	to: string[];
	cc: string[];
	bcc: string[];
	subject: string;
	text: string;
	html: string;
	/** Reply: the message answered (its sender is the recipient). */
	inReplyTo: string;
	/** Fields set by an expression other than $fromAI(): evaluated only when the tool runs. */
	computedLater: string[];
}

/** The tool call under review. */
export interface ToolCallView {
	toolName: string;
	toolCallId: string;
	/** The node's Message (n8n's default: the tool name and its parameters). */
	message: string;
	parameters: ToolParameter[];
	/** The gated tool node, when n8n's connections name it. */
	gatedNode: string | null;
	email: EmailPreview | null;
}

/** Everything the webhook needs, saved while the tool call waits. */
export interface ToolCallState {
	version: 1;
	kind: 'toolCall';
	/** Identifies this wait (execution, node, run, tool call). */
	key: string;
	/** The inbox that sent the notification; it also holds the decision record. */
	inboxId: string;
	requestedBy: string;
	expiresAt: string;
	requireReason: boolean;
	requireReviewer: boolean;
	call: ToolCallView;
	/** The notification as AgentMail returned it (ids only). */
	notification: IDataObject;
}
