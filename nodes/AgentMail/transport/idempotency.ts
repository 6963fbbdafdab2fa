import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A key that is the same every time this execution runs this node for this
 * item (n8n's Retry On Fail, the transport's own retries) and different in
 * any other execution, node, run of the node (loops) or item. AgentMail then
 * sends once however often the request is repeated (AGENTMAIL_API.md §7.4).
 * Characters: [A-Za-z0-9-], well within the allowed set and length.
 */
export function idempotencyKey(ctx: IExecuteFunctions, itemIndex: number, purpose: string): string {
	const node = ctx.getNode();
	const runIndex = ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0;
	const parts = [
		ctx.getWorkflow().id ?? '',
		ctx.getExecutionId() ?? '',
		node.id ?? node.name,
		String(runIndex),
		String(itemIndex),
		purpose,
	];
	const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
	return `n8n-${purpose}-${digest}`;
}
