/**
 * Reading and steering the AgentMail sandbox from e2e tests: its admin
 * endpoints (`/_sandbox/...`, no key, loopback only) and its `/v0` API with
 * the sandbox key, to check what the nodes really did. The client is
 * scripts/lib/sandboxAdmin.ts; these default to the sandbox globalSetup started.
 */
import { SandboxClient, type OutboxMessage, type SandboxRequest, type SandboxResponse } from '../../scripts/lib/sandboxAdmin';
import { agentMailSandbox } from './agentmail';

export {
	SandboxClient,
	type OutboxMessage,
	type SandboxAddress,
	type SandboxRequest,
	type SandboxResponse,
} from '../../scripts/lib/sandboxAdmin';

function client(): SandboxClient {
	return new SandboxClient(agentMailSandbox());
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
	return await client().admin<T>(method, path, body);
}

/** Clears every inbox, draft, message, list entry, fault and the request log; re-seeds the default inbox. */
export async function resetSandbox(): Promise<void> {
	await admin('POST', '/reset');
}

/** Everything sent so far, in send order. */
export async function sandboxOutbox(): Promise<OutboxMessage[]> {
	return await client().outbox();
}

/** The request log (last 2000 `/v0` requests), oldest first. */
export async function sandboxRequests(): Promise<SandboxRequest[]> {
	return await client().requests();
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
	in_reply_to?: string;
	attachments?: Array<{ filename?: string; content_type?: string; content: string }>;
}): Promise<Record<string, unknown>> {
	return await admin('POST', '/inbound', { inbox_id: agentMailSandbox().inboxId, ...message });
}

/** Call the sandbox's AgentMail API (`/v0/...`) with the sandbox key; never throws on HTTP errors. */
export async function sandboxApi<T = Record<string, unknown>>(
	method: string,
	path: string,
	body?: unknown,
): Promise<SandboxResponse<T>> {
	return await client().api<T>(method, path, body);
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
