/** Label rules shared by drafts and messages (AGENTMAIL_API.md §3.4). */
import { invalidField } from '../errors';
import { SYSTEM_LABELS } from '../model';

/** `string | string[] | undefined` as UpdateMessageRequest allows, as an array. */
export function labelList(value: string | string[] | undefined): string[] {
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}

/** System labels (sent, received, scheduled, ...) are set by the server only: 400. */
export function assertUserLabels(labels: string[], field: string): void {
	const index = labels.findIndex((label) => SYSTEM_LABELS.has(label));
	if (index < 0) return;
	const fix =
		labels[index] === 'scheduled'
			? 'Schedule with send_at and unschedule with send_at: null; the scheduled label follows.'
			: `Leave "${labels[index]}" out; the server sets it.`;
	throw invalidField([field, index], `"${labels[index]}" is a system label and cannot be changed`, fix);
}

/** Adds then removes (a label in both lists ends up removed), keeping order and uniqueness. */
export function applyLabelChanges(current: string[], add: string[], remove: string[]): string[] {
	const removed = new Set(remove);
	return [...new Set([...current, ...add])].filter((label) => !removed.has(label));
}
