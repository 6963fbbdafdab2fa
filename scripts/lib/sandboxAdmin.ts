/**
 * The AgentMail sandbox from outside: its admin endpoints (`/_sandbox/...`,
 * no key, loopback only) and its `/v0` API with the sandbox key. Shared by
 * `npm start` (outbox watcher, smoke check) and the e2e suites.
 */

/** Where a sandbox is: enough to call it. */
export interface SandboxAddress {
	url: string;
	apiKey: string;
}

/** One entry of GET /_sandbox/outbox: a message that left the sandbox (or was delivered in it). */
export interface OutboxMessage {
	message_id: string;
	thread_id: string;
	inbox_id: string;
	from?: string;
	to?: string[];
	cc?: string[];
	bcc?: string[];
	reply_to?: string[];
	subject?: string;
	text?: string;
	html?: string;
	labels?: string[];
	headers?: Record<string, string>;
	in_reply_to?: string;
	/** How it was sent: send, reply, reply-all, forward, draft, scheduled. */
	via: string;
	draft_id?: string;
	idempotency_key?: string;
	sent_at: string;
	delivered_to: string[];
	[key: string]: unknown;
}

/** One entry of GET /_sandbox/requests. */
export interface SandboxRequest {
	seq: number;
	received_at: string;
	method: string;
	url: string;
	path: string;
	decoded_path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string>;
	body: unknown;
	status: number | null;
	[key: string]: unknown;
}

export interface SandboxResponse<T = Record<string, unknown>> {
	status: number;
	data: T;
}

export class SandboxClient {
	constructor(readonly sandbox: SandboxAddress) {}

	async call<T>(method: string, path: string, body?: unknown, auth = false): Promise<SandboxResponse<T>> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (auth) headers.authorization = `Bearer ${this.sandbox.apiKey}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.sandbox.url}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let data: unknown = text;
		try {
			data = text ? JSON.parse(text) : undefined;
		} catch {
			// keep the text
		}
		return { status: response.status, data: data as T };
	}

	/** An admin endpoint (`/_sandbox` + path); throws on HTTP >= 400. */
	async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
		const { status, data } = await this.call<T>(method, `/_sandbox${path}`, body);
		if (status >= 400) throw new Error(`sandbox ${method} /_sandbox${path} -> HTTP ${status}: ${JSON.stringify(data)}`);
		return data;
	}

	/** A new API key holding exactly these permissions (`POST /_sandbox/api-keys`); returns the key. */
	async createKey(name: string, permissions: readonly string[]): Promise<string> {
		const created = await this.admin<{ api_key: string }>('POST', '/api-keys', {
			name,
			permissions: Object.fromEntries(permissions.map((permission) => [permission, true])),
		});
		return created.api_key;
	}

	/** Everything sent so far, in send order. */
	async outbox(): Promise<OutboxMessage[]> {
		return (await this.admin<{ messages: OutboxMessage[] }>('GET', '/outbox')).messages;
	}

	/** The request log (last 2000 `/v0` requests), oldest first. */
	async requests(): Promise<SandboxRequest[]> {
		return (await this.admin<{ requests: SandboxRequest[] }>('GET', '/requests')).requests;
	}

	/** The sandbox's AgentMail API (`/v0/...`) with the key; never throws on HTTP errors. */
	async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<SandboxResponse<T>> {
		return await this.call<T>(method, `/v0${path.startsWith('/') ? path : `/${path}`}`, body, true);
	}
}
