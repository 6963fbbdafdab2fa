/** Plain-text forms of API values for the review page (the caller escapes them). */

export function list(value: unknown): string {
	return Array.isArray(value) ? value.map(String).join(', ') : '';
}

/** `2026-12-01 09:00 UTC`; anything unparsable as it came. */
export function formatTime(iso: unknown): string {
	if (!iso) return '';
	const date = new Date(String(iso));
	return Number.isNaN(date.getTime()) ? String(iso) : `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** `13 bytes`, `4.2 KB`, `20.0 MB`; `? bytes` when AgentMail gave no size. */
export function formatSize(size: unknown): string {
	const bytes = typeof size === 'number' ? size : Number(size);
	if (size === undefined || size === null || size === '' || !Number.isFinite(bytes) || bytes < 0) return '? bytes';
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The `attachments` of a draft or message (AgentMail `Attachment[]`), never anything else. */
export function attachmentsOf(holder: { attachments?: unknown }): Array<Record<string, unknown>> {
	return Array.isArray(holder.attachments)
		? (holder.attachments as unknown[]).filter(
				(attachment): attachment is Record<string, unknown> => typeof attachment === 'object' && attachment !== null,
			)
		: [];
}
