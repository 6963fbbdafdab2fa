import { NodeOperationError, type INode } from 'n8n-workflow';

import { splitList } from './addresses';
import { describeType, firstControlCharacter, hasControlCharacter } from './values';

/**
 * Labels typed as a comma-separated list or given as an array of strings;
 * each a non-empty string of sane length without control characters. An
 * object, null or a list holding anything but text (an expression such as
 * `{{ $json }}`) is refused rather than sent as "[object Object]".
 */
export function parseLabels(node: INode, field: string, value: unknown, itemIndex: number): string[] {
	const refuse = (what: unknown) =>
		new NodeOperationError(node, `${field}: expected labels as text, got ${describeType(what)}`, {
			itemIndex,
			description: `"${field}" takes labels separated by commas, or a list of label strings.`,
		});
	if (value !== undefined && value !== '' && typeof value !== 'string' && typeof value !== 'number') {
		if (!Array.isArray(value)) throw refuse(value);
		const bad = value.find((entry) => typeof entry !== 'string' && typeof entry !== 'number');
		if (bad !== undefined || value.includes(undefined)) throw refuse(bad);
	}
	const labels = splitList(value);
	for (const label of labels) {
		if (hasControlCharacter(label)) {
			throw new NodeOperationError(
				node,
				`${field}: label ${JSON.stringify(label.slice(0, 40))} may not contain control characters (found ${firstControlCharacter(label)})`,
				{ itemIndex },
			);
		}
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
