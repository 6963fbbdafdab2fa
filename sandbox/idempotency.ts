/**
 * `Idempotency-Key` on sends (AGENTMAIL_API.md §7.4). Keys are scoped to the
 * organization. The first successful response is stored and replayed for the
 * same key + endpoint + body; a different endpoint or body, or a retry while
 * the first attempt still runs, is a 409. Failed attempts release the key.
 */
import { nowIso } from './clock';
import type { Reply } from './context';
import { conflict, invalidField } from './errors';
import { CLIENT_ID } from './schemas';
import type { Store } from './store';

export const KEY_TTL_MS = 24 * 3600_000;

/** JSON with sorted object keys, so `{a,b}` and `{b,a}` fingerprint alike. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}

export function fingerprint(method: string, path: string, body: unknown): string {
	return `${method} ${path}\n${canonicalJson(body ?? {})}`;
}

/** The header value: undefined when absent, 400 when empty or malformed. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
	if (header === undefined) return undefined;
	const key = (Array.isArray(header) ? header.join(',') : header).trim();
	if (key === '') throw invalidField(['Idempotency-Key'], 'Idempotency-Key must not be empty', 'Send a key or leave the header out.');
	if (!CLIENT_ID.test(key)) {
		throw invalidField(['Idempotency-Key'], 'Idempotency-Key takes 1-256 characters from A-Z a-z 0-9 - . _ ~');
	}
	return key;
}

export async function withIdempotency(
	store: Store,
	key: string | undefined,
	print: string,
	run: () => Promise<Reply>,
): Promise<Reply> {
	if (key === undefined) return run();
	const existing = store.idempotency.get(key);
	const expired =
		existing?.completed_at !== undefined && Date.parse(existing.completed_at) + KEY_TTL_MS < Date.now();
	if (existing && !expired) {
		if (existing.fingerprint !== print) {
			throw conflict(
				`Idempotency-Key "${key}" was already used with a different request (body, inbox or endpoint)`,
				'Use a new key for a different message; reuse a key only to retry the identical request.',
			);
		}
		if (existing.state === 'pending') {
			throw conflict(`A request with Idempotency-Key "${key}" is still in progress`, 'Retry after it finishes.');
		}
		return {
			status: existing.status ?? 200,
			body: existing.response,
			headers: { 'Idempotent-Replayed': 'true' },
		};
	}
	store.idempotency.set(key, { key, fingerprint: print, state: 'pending' });
	let reply: Reply;
	try {
		reply = await run();
	} catch (error) {
		store.idempotency.delete(key);
		throw error;
	}
	if (reply.status >= 200 && reply.status < 300) {
		store.idempotency.set(key, {
			key,
			fingerprint: print,
			state: 'done',
			status: reply.status,
			response: reply.body,
			completed_at: nowIso(),
		});
		store.changed();
	} else {
		store.idempotency.delete(key);
	}
	return reply;
}
