import type { INode } from 'n8n-workflow';

/** The n8n context of one node execution (or webhook call): anything with getNode(). */
interface NodeSource {
	getNode(): INode;
}

const nodes = new WeakMap<NodeSource, INode>();

/**
 * The node of this execution. n8n's getNode() returns a deep copy on every
 * call, and the node does not change while it runs: the per-item code (input
 * checks naming the node, idempotency keys) takes it from here, copied once.
 */
export function nodeOf(ctx: NodeSource): INode {
	let node = nodes.get(ctx);
	if (!node) {
		node = ctx.getNode();
		nodes.set(ctx, node);
	}
	return node;
}
