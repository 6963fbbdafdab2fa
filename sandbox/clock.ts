/**
 * The sandbox clock. Every call returns a strictly later instant than the one
 * before, so records created in the same millisecond still have a stable
 * order (lists sort on these timestamps).
 */
let last = 0;

export function nowMs(): number {
	last = Math.max(Date.now(), last + 1);
	return last;
}

export function nowIso(): string {
	return new Date(nowMs()).toISOString();
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
