/**
 * Reading and steering the AgentMail sandbox from e2e tests: its admin
 * endpoints (`/_sandbox/...`, no key, loopback only) and its `/v0` API with
 * the sandbox key, to check what the nodes really did.
 */
import { agentMailSandbox } from './agentmail';

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

async function call<T>(method: string, path: string, body?: unknown, auth = false): Promise<SandboxResponse<T>> {
	const sandbox = agentMailSandbox();
	const headers: Record<string, string> = { accept: 'application/json' };
	if (auth) headers.authorization = `Bearer ${sandbox.apiKey}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${sandbox.url}${path}`, {
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

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
	const { status, data } = await call<T>(method, `/_sandbox${path}`, body);
	if (status >= 400) throw new Error(`sandbox ${method} /_sandbox${path} -> HTTP ${status}: ${JSON.stringify(data)}`);
	return data;
}

/** Clears every inbox, draft, message, list entry, fault and the request log; re-seeds the default inbox. */
export async function resetSandbox(): Promise<void> {
	await admin('POST', '/reset');
}

/** Everything sent so far, in send order. */
export async function sandboxOutbox(): Promise<OutboxMessage[]> {
	return (await admin<{ messages: OutboxMessage[] }>('GET', '/outbox')).messages;
}

/** The request log (last 2000 `/v0` requests), oldest first. */
export async function sandboxRequests(): Promise<SandboxRequest[]> {
	return (await admin<{ requests: SandboxRequest[] }>('GET', '/requests')).requests;
}

export async function clearSandboxRequests(): Promise<void> {
	await admin('DELETE', '/requests');
}

/** Simulate mail from outside arriving in a sandbox inbox; returns the stored Message. */
export async function sandboxInbound(message: {
	inbox_id?: string;
	from: string;
	to?: string[];
	subject?: string;
	text?: string;
	html?: string;
	labels?: string[];
}): Promise<Record<string, unknown>> {
	return await admin('POST', '/inbound', { inbox_id: agentMailSandbox().inboxId, ...message });
}

/** Call the sandbox's AgentMail API (`/v0/...`) with the sandbox key; never throws on HTTP errors. */
export async function sandboxApi<T = Record<string, unknown>>(
	method: string,
	path: string,
	body?: unknown,
): Promise<SandboxResponse<T>> {
	return await call<T>(method, `/v0${path.startsWith('/') ? path : `/${path}`}`, body, true);
}

/** `/inboxes/<encoded inbox>` of the seeded sandbox inbox (or `inbox`). */
export function inboxPath(inbox = agentMailSandbox().inboxId): string {
	return `/inboxes/${encodeURIComponent(inbox)}`;
}

/** A draft as stored in the sandbox now (status 404 when sent or deleted). */
export async function sandboxDraft(draftId: string, inbox?: string): Promise<SandboxResponse> {
	return await sandboxApi('GET', `${inboxPath(inbox)}/drafts/${encodeURIComponent(draftId)}`);
}

/** Poll `probe` until it returns something truthy (or throw after `timeoutMs`). */
export async function eventually<T>(
	probe: () => Promise<T | undefined | null | false>,
	options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
	const deadline = Date.now() + (options.timeoutMs ?? 20_000);
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() >= deadline) throw new Error(`timed out after ${options.timeoutMs ?? 20_000}ms waiting for ${options.what ?? 'a condition'}`);
		await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
	}
}

/** Arm a fault: the next `count` matching `/v0` requests fail (see sandbox/README.md, POST /_sandbox/faults). */
export async function addSandboxFault(fault: {
	method?: string;
	path?: string;
	count?: number;
	status?: number;
	code?: string;
	retry_after?: number;
	latency_ms?: number;
	drop?: boolean;
}): Promise<{ fault_id: string; remaining: number }> {
	return await admin('POST', '/faults', fault);
}

export async function clearSandboxFaults(): Promise<void> {
	await admin('DELETE', '/faults');
}
