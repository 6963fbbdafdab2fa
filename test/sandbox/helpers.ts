/** Shared setup for the sandbox tests: one sandbox per test file, reset before each test. */
import axios, { type AxiosInstance } from 'axios';
import { AgentMailClient, AgentMailError } from 'agentmail';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox';

export interface Harness {
	sandbox: RunningSandbox;
	/** The official SDK pointed at the sandbox. */
	client: AgentMailClient;
	/** Raw HTTP with the API key; never throws on a status. */
	api: AxiosInstance;
	/** Raw HTTP without credentials (for /_sandbox and auth tests); never throws on a status. */
	http: AxiosInstance;
	/** The seeded inbox id. */
	inbox: string;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
	const sandbox = await startSandbox({ port: 0, schedulerIntervalMs: 50, logError: () => undefined, ...options });
	const common = { baseURL: sandbox.url, validateStatus: () => true, proxy: false as const };
	return {
		sandbox,
		client: new AgentMailClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url }),
		api: axios.create({ ...common, headers: { Authorization: `Bearer ${sandbox.apiKey}` } }),
		http: axios.create(common),
		inbox: sandbox.inboxId,
	};
}

/** Starts a sandbox for the file and resets it before every test. */
export function useSandbox(options: SandboxOptions = {}): () => Harness {
	let harness: Harness | undefined;
	beforeAll(async () => {
		harness = await startHarness(options);
	});
	beforeEach(async () => {
		const reset = await harness!.http.post('/_sandbox/reset');
		expect(reset.status).toBe(200);
	});
	afterAll(async () => {
		await harness?.sandbox.close();
	});
	return () => harness!;
}

export const enc = encodeURIComponent;

/** Awaits a rejection and checks the SDK error class, HTTP status and body.code. */
export async function expectSdkError<T extends AgentMailError>(
	promise: Promise<unknown>,
	errorClass: abstract new (...args: never[]) => T,
	statusCode: number,
	code: string,
): Promise<T & { body: { code: string; message: string; fix?: string; name: string } }> {
	let caught: unknown;
	try {
		await promise;
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(errorClass);
	const error = caught as T & { body: { code: string; message: string; fix?: string; name: string } };
	expect(error.statusCode).toBe(statusCode);
	expect(error.body.code).toBe(code);
	return error;
}

/** Polls until `check` returns a value that is not undefined (or times out). */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, stepMs = 50): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, stepMs));
	}
}

export interface OutboxMessage {
	message_id: string;
	thread_id: string;
	inbox_id: string;
	from: string;
	to: string[];
	cc?: string[];
	bcc?: string[];
	subject?: string;
	text?: string;
	html?: string;
	labels: string[];
	via: string;
	draft_id?: string;
	idempotency_key?: string;
	sent_at: string;
	delivered_to: string[];
	attachments?: Array<{ attachment_id: string; filename?: string; size: number; content?: string }>;
	in_reply_to?: string;
	references?: string[];
}

export async function outbox(h: Harness): Promise<OutboxMessage[]> {
	const res = await h.http.get('/_sandbox/outbox');
	expect(res.status).toBe(200);
	return res.data.messages as OutboxMessage[];
}

/** Mail from outside arriving in `inboxId` (POST /_sandbox/inbound); returns the stored message. */
export async function inbound(h: Harness, body: Record<string, unknown>): Promise<{ message_id: string; thread_id: string; labels: string[] }> {
	const res = await h.http.post('/_sandbox/inbound', { inbox_id: h.inbox, ...body });
	expect(res.status).toBe(200);
	return res.data;
}

export async function addFault(h: Harness, fault: Record<string, unknown>): Promise<{ fault_id: string }> {
	const res = await h.http.post('/_sandbox/faults', fault);
	expect(res.status).toBe(200);
	return res.data;
}
