import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

/** AgentMail's error envelope (AGENTMAIL_API.md §7.1). */
export interface AgentMailErrorBody {
	name?: string;
	code?: string;
	message?: string;
	fix?: string;
	docs?: string;
	errors?: Array<{ path?: Array<string | number>; message?: string }>;
}

/** What a failing item carries when the node continues on fail. */
export interface AgentMailFailure {
	error: string;
	code?: string;
	status?: number;
	fix?: string;
	/** What to do about it in n8n, when there is more to say than AgentMail's `fix` (missing_permission). */
	hint?: string;
	/** AgentMail's per-field issues of a 400 (`[{ path, message }]`), as AgentMail sent them. */
	errors?: AgentMailErrorBody['errors'];
}

export function isErrorBody(body: unknown): body is AgentMailErrorBody {
	return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function describeValidationIssues(body: AgentMailErrorBody): string | undefined {
	if (!Array.isArray(body.errors) || body.errors.length === 0) return undefined;
	return body.errors
		.map((issue) => {
			const where = Array.isArray(issue.path) && issue.path.length ? issue.path.join('.') : 'body';
			return `${where}: ${issue.message ?? 'invalid'}`;
		})
		.join('; ');
}

/**
 * A 403 `missing_permission` is how a key that may not send answers a send:
 * often on purpose. Said in the node's error, for people and for an AI agent
 * reading the tool's error.
 */
export const MISSING_PERMISSION_HINT =
	"This credential's AgentMail API key lacks a permission the operation needs. That is how keys keep an AI agent " +
	'from sending: the agent gets a key that can draft (draft_create, draft_read, draft_update) but has no draft_send ' +
	'or message_send, and a second credential whose key can send (draft_read, draft_update, draft_send, message_send) ' +
	'is used only by AgentMail Wait for Approval, which sends a draft after a person approves it. If this node acts ' +
	'for the agent, create a draft instead and send it through Wait for Approval; if this node is meant to send, pick ' +
	'the approver credential or give its key the permission. README: "Keep the agent from sending".';

/** Extra guidance for AgentMail codes that need it. */
const HINTS: Record<string, string> = { missing_permission: MISSING_PERMISSION_HINT };

/**
 * Turns a non-2xx AgentMail response into a NodeApiError that keeps the HTTP
 * status, AgentMail's `code`, its `message` and its `fix`, so that the n8n UI
 * and continue-on-fail items show what AgentMail said rather than a generic
 * "Bad request" text.
 */
export function agentMailApiError(
	node: INode,
	status: number,
	body: unknown,
	itemIndex?: number,
): NodeApiError {
	const envelope: AgentMailErrorBody = isErrorBody(body) ? (body as AgentMailErrorBody) : {};
	const code = envelope.code ?? (envelope.name ? envelope.name : undefined);
	const text =
		envelope.message ?? describeValidationIssues(envelope) ?? `AgentMail answered HTTP ${status}`;
	const message = `AgentMail ${status}${code ? ` ${code}` : ''}: ${text}`;
	const hint = code ? HINTS[code] : undefined;
	const details = [envelope.fix, hint, describeValidationIssues(envelope), envelope.docs]
		.filter((part): part is string => typeof part === 'string' && part.length > 0)
		.filter((part, index, all) => all.indexOf(part) === index && part !== text);
	const error = new NodeApiError(
		node,
		{ ...envelope, httpCode: String(status) } as unknown as JsonObject,
		{
			message,
			description: details.length ? details.join('\n') : undefined,
			httpCode: String(status),
			itemIndex,
		},
	);
	error.context.agentMail = { status, code, message: text, fix: envelope.fix };
	if (hint) (error.context.agentMail as IDataObject).hint = hint;
	if (Array.isArray(envelope.errors) && envelope.errors.length) {
		(error.context.agentMail as IDataObject).errors = envelope.errors as unknown as IDataObject[];
	}
	return error;
}

/** The `{ error, code, status, fix, hint?, errors? }` shape an item gets when the node continues on fail. */
export function failureOf(error: unknown): AgentMailFailure {
	const err = error as {
		message?: string;
		context?: { agentMail?: { status?: number; code?: string; fix?: string; hint?: string; errors?: AgentMailFailure['errors'] } };
		httpCode?: string | null;
	};
	const api = err?.context?.agentMail;
	const failure: AgentMailFailure = { error: err?.message ?? String(error) };
	if (api?.code) failure.code = api.code;
	const status = api?.status ?? (err?.httpCode ? Number(err.httpCode) : undefined);
	if (status !== undefined && !Number.isNaN(status)) failure.status = status;
	if (api?.fix) failure.fix = api.fix;
	if (api?.hint) failure.hint = api.hint;
	if (Array.isArray(api?.errors) && api.errors.length) failure.errors = api.errors;
	return failure;
}

/**
 * The error to throw for anything caught while running a node: AgentMail and
 * input errors as they are (both constructors hand back an error that is
 * already theirs), anything else wrapped so n8n shows it against the node.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError) return new NodeApiError(node, error as unknown as JsonObject);
	if (error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * The item a failing input item becomes when the node continues on fail:
 * `{ error, code, status, fix }`, paired with its input. n8n-core replaces
 * the json of every item that carries `.error` with `{ error: message }`, so
 * `.error` is attached only for "Continue (using error output)", where n8n
 * needs it to route the item to the error output.
 */
export function failedItem(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): INodeExecutionData {
	const item: INodeExecutionData = {
		json: failureOf(error) as unknown as IDataObject,
		pairedItem: { item: itemIndex },
	};
	if (ctx.getNode().onError === 'continueErrorOutput') {
		item.error = toNodeError(ctx.getNode(), error, itemIndex);
	}
	return item;
}
