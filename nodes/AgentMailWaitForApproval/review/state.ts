import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { ApprovalState } from './types';

const CONTEXT_KEY = 'agentMailApproval';

/**
 * Keeps the approval state in the node's execution context, which n8n saves
 * with the waiting execution. (The stack entry's input cannot hold it: on
 * expiry n8n forwards that input as the node's output, so it holds the items
 * for the timeout branch instead.)
 */
export function saveState(ctx: IExecuteFunctions, state: ApprovalState): void {
	ctx.getContext('node')[CONTEXT_KEY] = JSON.stringify(state);
}

/**
 * Reads the state saved by saveState(). Webhook functions have no getContext(),
 * but expressions can read any node's context: `$("<this node>").context`.
 */
export function loadState(ctx: IWebhookFunctions): ApprovalState | undefined {
	const name = JSON.stringify(ctx.getNode().name);
	let raw: unknown;
	try {
		raw = ctx.evaluateExpression(`{{ $(${name}).context[${JSON.stringify(CONTEXT_KEY)}] }}`, 0);
	} catch {
		return undefined;
	}
	if (typeof raw !== 'string' || raw === '') return undefined;
	try {
		const state = JSON.parse(raw) as ApprovalState;
		return state?.version === 1 && typeof state.key === 'string' && Array.isArray(state.entries) ? state : undefined;
	} catch {
		return undefined;
	}
}
