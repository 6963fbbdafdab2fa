import { NodeOperationError, type INode } from 'n8n-workflow';

import { splitList } from './addresses';

/** Labels typed as a comma-separated list or given as an array; each a non-empty string of sane length. */
export function parseLabels(node: INode, field: string, value: unknown, itemIndex: number): string[] {
	const labels = splitList(value);
	for (const label of labels) {
		if (label.length > 256) {
			throw new NodeOperationError(node, `${field}: label "${label.slice(0, 40)}…" is too long`, {
				itemIndex,
			});
		}
	}
	return [...new Set(labels)];
}

/** `{ add_labels, remove_labels }` for a PATCH or a send, each only when it has labels. */
export function labelChanges(
	node: INode,
	itemIndex: number,
	add: { field: string; value: unknown },
	remove: { field: string; value: unknown },
): { add_labels?: string[]; remove_labels?: string[] } {
	const changes: { add_labels?: string[]; remove_labels?: string[] } = {};
	const added = parseLabels(node, add.field, add.value, itemIndex);
	const removed = parseLabels(node, remove.field, remove.value, itemIndex);
	if (added.length) changes.add_labels = added;
	if (removed.length) changes.remove_labels = removed;
	return changes;
}
