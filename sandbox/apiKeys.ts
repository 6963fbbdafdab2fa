/**
 * The organization's API keys: the configured ones (options / CLI, kept
 * across resets) and those added with `POST /_sandbox/api-keys` (dropped by
 * `POST /_sandbox/reset`). A key may carry a permission set
 * (permissions.ts); without one it has full access. Keys are configuration,
 * not state: they are not written to the data file.
 */
import { nowIso } from './clock';
import { isPermission, PERMISSIONS, type Permission } from './permissions';

export interface ApiKeySpec {
	apiKey: string;
	name?: string;
	/** The permissions granted; omitted = every permission (a key without a set). */
	permissions?: readonly Permission[];
}

export interface ApiKeyRecord {
	api_key: string;
	name: string;
	/** undefined = full access. */
	permissions?: ReadonlySet<Permission>;
	configured: boolean;
	created_at: string;
}

/** Key characters: those of AgentMail's keys and client ids, so they fit a Bearer header as they are. */
const KEY_PATTERN = /^[A-Za-z0-9._~-]{1,256}$/;

export class ApiKeys {
	private readonly keys = new Map<string, ApiKeyRecord>();

	constructor(configured: ApiKeySpec[]) {
		for (const spec of configured) this.add(spec, true);
	}

	has(key: string): boolean {
		return this.keys.has(key);
	}

	get(key: string): ApiKeyRecord | undefined {
		return this.keys.get(key);
	}

	/** Adds (or replaces) a key. Throws on a malformed key or an unknown permission. */
	add(spec: ApiKeySpec, configured = false): ApiKeyRecord {
		if (!KEY_PATTERN.test(spec.apiKey)) {
			throw new Error(`API key ${JSON.stringify(spec.apiKey)}: use 1-256 characters of A-Z a-z 0-9 - . _ ~`);
		}
		const unknown = spec.permissions?.find((p) => !isPermission(p));
		if (unknown !== undefined) throw new Error(`Unknown permission ${JSON.stringify(unknown)}; known: ${PERMISSIONS.join(', ')}`);
		const record: ApiKeyRecord = {
			api_key: spec.apiKey,
			name: spec.name ?? spec.apiKey,
			configured,
			created_at: nowIso(),
		};
		if (spec.permissions) record.permissions = new Set(spec.permissions);
		this.keys.set(spec.apiKey, record);
		return record;
	}

	list(): ApiKeyRecord[] {
		return [...this.keys.values()];
	}

	/** Drops the keys added at run time. */
	reset(): void {
		for (const [key, record] of this.keys) if (!record.configured) this.keys.delete(key);
	}
}

/** The admin API's view: `permissions` in AgentMail's `ApiKeyPermissions` shape (granted ones `true`), or null for full access. */
export function toApiKeyView(record: ApiKeyRecord) {
	return {
		api_key: record.api_key,
		name: record.name,
		permissions: record.permissions ? Object.fromEntries([...record.permissions].map((p) => [p, true])) : null,
		configured: record.configured,
		created_at: record.created_at,
	};
}
