/**
 * Calling n8n webhooks (production /webhook/PATH, resume URLs from
 * $execution.resumeUrl) and plain HTTP with the parsed answer.
 */
import { e2eState } from './env';

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
}

export interface HttpOptions {
	method?: string;
	/** Sent as JSON unless it is a string or URLSearchParams. */
	body?: unknown;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	/** Do not follow redirects (default: follow). */
	manualRedirect?: boolean;
}

export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResult> {
	const target = new URL(url);
	for (const [key, value] of Object.entries(options.query ?? {})) target.searchParams.set(key, value);
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	let body: string | URLSearchParams | undefined;
	if (typeof options.body === 'string' || options.body instanceof URLSearchParams) {
		body = options.body;
	} else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}
	const response = await fetch(target, {
		method: options.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body,
		redirect: options.manualRedirect ? 'manual' : 'follow',
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

/** Production webhook URL of PATH on the e2e n8n (what the Webhook node listens on once active). */
export function webhookUrl(path: string): string {
	return `${e2eState().n8n.url}/webhook/${path.replace(/^\/+/, '')}`;
}

/**
 * Call a production webhook (PATH, or a full URL). Activation registers
 * webhooks asynchronously, so a 404 ("webhook not registered") is retried
 * until `timeoutMs`; any other answer is returned as is.
 */
export async function callWebhook(
	pathOrUrl: string,
	options: HttpOptions & { timeoutMs?: number } = {},
): Promise<HttpResult> {
	const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : webhookUrl(pathOrUrl);
	const deadline = Date.now() + (options.timeoutMs ?? 20_000);
	for (;;) {
		const result = await httpRequest(url, { method: 'POST', ...options });
		if (result.status !== 404 || Date.now() >= deadline) return result;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
