/** Plain HTTP with the parsed answer (fetch, no retries): review pages, resume URLs, webhooks. */
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
