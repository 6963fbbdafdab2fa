import type { IDataObject } from 'n8n-workflow';

/** How many recent ids are remembered per list (oldest dropped first). */
export const RECENT_IDS_LIMIT = 500;

/**
 * Recent ids per workflow node, in this process. n8n loads a workflow's
 * static data afresh for every webhook request and saves it only after an
 * execution, so two deliveries of one event arriving together (or a replay of
 * one that started nothing) would each see none of the other in static data.
 * The check-and-set below runs without an await in between, so within one n8n
 * process it is atomic; static data carries the ids across restarts.
 */
const memory = new Map<string, string[]>();

function remember(list: string[], id: string): void {
	list.push(id);
	if (list.length > RECENT_IDS_LIMIT) list.splice(0, list.length - RECENT_IDS_LIMIT);
}

/**
 * Records `id` under `key` for `scope` (workflow id + node id) in memory and
 * in the node's static data; false if either had it (a Svix retry, a
 * redelivery, a WebSocket resend).
 */
export function firstTime(staticData: IDataObject, scope: string, key: string, id: string): boolean {
	if (seen(staticData, scope, key, id)) return false;
	const memoryKey = `${scope}\u0000${key}`;
	let list = memory.get(memoryKey);
	if (!list) {
		list = [];
		memory.set(memoryKey, list);
	}
	remember(list, id);
	const stored = Array.isArray(staticData[key]) ? [...(staticData[key] as string[])] : [];
	remember(stored, id);
	staticData[key] = stored;
	return true;
}

export function seen(staticData: IDataObject, scope: string, key: string, id: string): boolean {
	if (memory.get(`${scope}\u0000${key}`)?.includes(id)) return true;
	return Array.isArray(staticData[key]) && (staticData[key] as string[]).includes(id);
}
