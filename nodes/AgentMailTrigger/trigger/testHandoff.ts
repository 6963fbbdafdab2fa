import type { INodeExecutionData } from 'n8n-workflow';

/**
 * The node has both `webhook()` (webhook mode) and `trigger()` (WebSocket
 * mode). n8n runs the start node of a *manual* execution through
 * `trigger()` even when a test webhook started it, so the items that
 * `webhook()` produced for the editor's "listen for test event" are handed to
 * that `trigger()` call here (same process, within a minute).
 */
const pending = new Map<string, { items: INodeExecutionData[]; at: number }>();
const TTL_MS = 60_000;

const keyOf = (workflowId: string | undefined, nodeName: string) => `${workflowId ?? ''}\u0000${nodeName}`;

export function handOver(workflowId: string | undefined, nodeName: string, items: INodeExecutionData[]): void {
	const now = Date.now();
	for (const [key, entry] of pending) if (now - entry.at > TTL_MS) pending.delete(key);
	pending.set(keyOf(workflowId, nodeName), { items, at: now });
}

export function takeOver(workflowId: string | undefined, nodeName: string): INodeExecutionData[] {
	const key = keyOf(workflowId, nodeName);
	const entry = pending.get(key);
	pending.delete(key);
	return entry && Date.now() - entry.at <= TTL_MS ? entry.items : [];
}
