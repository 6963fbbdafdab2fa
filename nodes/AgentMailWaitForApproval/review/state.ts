import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { ApprovalState } from './types';

const CONTEXT_KEY = 'agentMailApproval';

/**
 * Keeps a value in the node's execution context, which n8n saves with the
 * waiting execution. (The stack entry's input cannot hold it: on expiry n8n
 * forwards that input as the node's output, so it holds the items for the
 * timeout branch instead.)
 */
export function writeNodeContext(ctx: IExecuteFunctions, key: string, value: unknown): void {
	ctx.getContext('node')[key] = JSON.stringify(value);
}

/**
 * Reads a value written by writeNodeContext(). Webhook functions have no
 * getContext(), but expressions can read any node's context:
 * `$("<this node>").context`.
 */
export function readNodeContext(ctx: IWebhookFunctions, key: string): unknown {
	const name = JSON.stringify(ctx.getNode().name);
	let raw: unknown;
	try {
		raw = ctx.evaluateExpression(`{{ $(${name}).context[${JSON.stringify(key)}] }}`, 0);
	} catch {
		return undefined;
	}
	if (typeof raw !== 'string' || raw === '') return undefined;
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return undefined;
	}
}

export function saveState(ctx: IExecuteFunctions, state: ApprovalState): void {
	writeNodeContext(ctx, CONTEXT_KEY, state);
}

export function loadState(ctx: IWebhookFunctions): ApprovalState | undefined {
	const state = readNodeContext(ctx, CONTEXT_KEY) as ApprovalState | undefined;
	return state?.version === 1 && typeof state.key === 'string' && Array.isArray(state.entries) ? state : undefined;
}
