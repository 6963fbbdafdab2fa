import type { IDataObject } from 'n8n-workflow';

/** How many recent ids are remembered per list (oldest dropped first). */
export const RECENT_IDS_LIMIT = 500;

/**
 * Records `id` in the bounded list `key` of the node's static data; false if
 * it was there already (a Svix retry, a redelivery, a WebSocket reconnect).
 */
export function firstTime(staticData: IDataObject, key: string, id: string): boolean {
	const list = Array.isArray(staticData[key]) ? (staticData[key] as string[]) : [];
	if (list.includes(id)) return false;
	list.push(id);
	if (list.length > RECENT_IDS_LIMIT) list.splice(0, list.length - RECENT_IDS_LIMIT);
	staticData[key] = list;
	return true;
}

export function seen(staticData: IDataObject, key: string, id: string): boolean {
	return Array.isArray(staticData[key]) && (staticData[key] as string[]).includes(id);
}
