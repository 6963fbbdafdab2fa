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
