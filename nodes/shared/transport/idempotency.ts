import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import { nodeOf } from '../helpers/node';

/**
 * A deterministic Idempotency-Key from the parts that identify one intended
 * send. Characters: [A-Za-z0-9-], well within AgentMail's allowed set and
 * length (AGENTMAIL_API.md §7.4).
 */
export function idempotencyKeyFor(purpose: string, ...parts: string[]): string {
	const digest = createHash('sha256').update([purpose, ...parts].join('\u0000')).digest('hex');
	return `n8n-${purpose}-${digest.slice(0, 40)}`;
}

/** The run index is the node's, the same for every item: read once per execution (a data proxy is costly). */
const runIndexes = new WeakMap<IExecuteFunctions, number>();

function runIndexOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const known = runIndexes.get(ctx);
	if (known !== undefined) return known;
	const runIndex: number = ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0;
	runIndexes.set(ctx, runIndex);
	return runIndex;
}

/**
 * The same every time this execution runs this node for this item (n8n's
 * Retry On Fail, the transport's own retries) and different in any other
 * execution, node, run of the node (loops) or item. AgentMail then sends
 * once however often the request is repeated.
 */
export function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, purpose: string): string {
	const node = nodeOf(ctx);
	const runIndex = runIndexOf(ctx, itemIndex);
	return idempotencyKeyFor(
		purpose,
		ctx.getWorkflow().id ?? '',
		ctx.getExecutionId() ?? '',
		node.id ?? node.name,
		String(runIndex),
		String(itemIndex),
	);
}
