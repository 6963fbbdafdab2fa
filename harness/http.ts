/**
 * Fake express request/response for calling a node's `webhook()`.
 *
 * The request carries what n8n's webhook stack gives a node: `method`, `url`,
 * lower-cased `headers`, parsed `query`, `params`, `rawBody`, `contentType`,
 * `encoding`, and — after `parseBody()` — `body`, parsed with the rules of
 * packages/cli/src/middlewares/body-parser.ts `parseBody()` (JSON,
 * x-www-form-urlencoded via node's querystring with maxKeys 1000, text/plain;
 * XML and multipart are not supported by the harness).
 *
 * The response records status, headers, body and `render()` calls, and supports
 * the express API surface n8n-core / nodes use: status, sendStatus, set/header/
 * setHeader/getHeader/removeHeader, type, writeHead, write, end, send, json,
 * render, redirect, and the 'finish'/'close' events.
 */
import { EventEmitter } from 'node:events';
import { parse as parseQueryString, stringify as stringifyQuery } from 'node:querystring';

import { jsonParse } from 'n8n-workflow';

export type HttpMethod = 'GET' | 'POST' | 'HEAD' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface FakeRequestInit {
	method: HttpMethod;
	/** path + query, e.g. `/webhook-waiting/12?signature=abc` */
	url: string;
	headers?: Record<string, string | undefined>;
	query?: Record<string, string | string[]>;
	/** string / Buffer sent as-is; objects are serialized according to content-type */
	body?: unknown;
	host?: string;
}

export type FakeRequest = EventEmitter & {
	method: HttpMethod;
	url: string;
	originalUrl: string;
	path: string;
	baseUrl: string;
	headers: Record<string, string | string[] | undefined>;
	rawHeaders: string[];
	query: Record<string, string | string[]>;
	params: Record<string, string>;
	body: unknown;
	rawBody: Buffer;
	contentType?: string;
	encoding: BufferEncoding;
	host: string;
	hostname: string;
	protocol: string;
	secure: boolean;
	ip: string;
	ips: string[];
	cookies: Record<string, string>;
	_body?: boolean;
	readRawBody(): Promise<void>;
	get(name: string): string | undefined;
	header(name: string): string | undefined;
};

/** `content-type` header -> `req.contentType` / `req.encoding` like cli's parseIncomingMessage. */
function parseContentType(header: string | undefined): { contentType?: string; encoding: BufferEncoding } {
	if (!header) return { encoding: 'utf-8' };
	const [type, ...params] = header.split(';');
	let encoding: BufferEncoding = 'utf-8';
	for (const param of params) {
		const [key, value] = param.split('=').map((s) => s.trim());
		if (key?.toLowerCase() === 'charset' && value) {
			encoding = value.toLowerCase().replace(/"/g, '') as BufferEncoding;
		}
	}
	return { contentType: type.trim().toLowerCase(), encoding };
}

function serializeBody(body: unknown, contentType: string | undefined): Buffer {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return Buffer.from(body);
	if (contentType === 'application/x-www-form-urlencoded') {
		return Buffer.from(stringifyQuery(body as Record<string, string>));
	}
	return Buffer.from(JSON.stringify(body));
}

export function createFakeRequest(init: FakeRequestInit): FakeRequest {
	const headers: Record<string, string | string[] | undefined> = {};
	for (const [key, value] of Object.entries(init.headers ?? {})) {
		if (value !== undefined) headers[key.toLowerCase()] = value;
	}
	const hasBody = init.body !== undefined && init.method !== 'GET' && init.method !== 'HEAD';
	if (hasBody && headers['content-type'] === undefined) {
		headers['content-type'] =
			typeof init.body === 'string' || Buffer.isBuffer(init.body) ? 'text/plain' : 'application/json';
	}
	const host = init.host ?? '127.0.0.1:5678';
	headers.host ??= host;
	const { contentType, encoding } = parseContentType(headers['content-type'] as string | undefined);
	const rawBody = hasBody ? serializeBody(init.body, contentType) : Buffer.alloc(0);
	if (hasBody) headers['content-length'] ??= String(rawBody.length);

	const parsedUrl = new URL(init.url, `http://${host}`);
	const query: Record<string, string | string[]> = init.query ?? {};
	if (!init.query) {
		for (const key of new Set(parsedUrl.searchParams.keys())) {
			const all = parsedUrl.searchParams.getAll(key);
			query[key] = all.length > 1 ? all : all[0];
		}
	}

	const req = Object.assign(new EventEmitter(), {
		method: init.method,
		url: init.url,
		originalUrl: init.url,
		path: parsedUrl.pathname,
		baseUrl: '',
		headers,
		rawHeaders: Object.entries(headers).flatMap(([k, v]) => [k, String(v)]),
		query,
		params: {} as Record<string, string>,
		body: undefined as unknown,
		rawBody,
		contentType,
		encoding,
		host,
		hostname: host.split(':')[0],
		protocol: 'http',
		secure: false,
		ip: '127.0.0.1',
		ips: [] as string[],
		cookies: {} as Record<string, string>,
		async readRawBody() {
			req._body = true;
		},
		get(name: string) {
			const value = headers[name.toLowerCase()];
			return Array.isArray(value) ? value.join(', ') : value;
		},
		header(name: string) {
			return req.get(name);
		},
	}) as FakeRequest;
	return req;
}

/** packages/cli/src/middlewares/body-parser.ts `parseBody()` (without XML / multipart). */
export async function parseBody(req: FakeRequest): Promise<void> {
	if (req.contentType?.startsWith('multipart/')) {
		throw new Error('multipart/form-data bodies are not supported by the test harness');
	}
	await req.readRawBody();
	const { rawBody, contentType, encoding } = req;
	if (rawBody?.length) {
		if (contentType === 'application/json') {
			req.body = jsonParse(rawBody.toString(encoding));
		} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
			throw new Error('XML bodies are not supported by the test harness');
		} else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, {
				maxKeys: 1000,
			});
		} else if (contentType === 'text/plain') {
			req.body = rawBody.toString(encoding);
		}
	}
}

export interface RenderCall {
	view: string;
	data?: unknown;
}

export class FakeResponse extends EventEmitter {
	statusCode = 200;
	statusMessage = '';
	headersSent = false;
	writableEnded = false;
	finished = false;
	closed = false;
	locals: Record<string, unknown> = {};
	readonly chunks: Buffer[] = [];
	readonly renders: RenderCall[] = [];
	private readonly headerMap = new Map<string, string | string[]>();

	constructor(readonly req: FakeRequest) {
		super();
	}

	status(code: number) {
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number) {
		this.statusCode = code;
		return this.send(String(code));
	}

	setHeader(name: string, value: string | number | string[]) {
		this.headerMap.set(name.toLowerCase(), Array.isArray(value) ? value : String(value));
		return this;
	}

	getHeader(name: string) {
		return this.headerMap.get(name.toLowerCase());
	}

	getHeaders(): Record<string, string | string[]> {
		return Object.fromEntries(this.headerMap);
	}

	hasHeader(name: string) {
		return this.headerMap.has(name.toLowerCase());
	}

	removeHeader(name: string) {
		this.headerMap.delete(name.toLowerCase());
	}

	header(name: string | Record<string, string>, value?: string | string[]) {
		return this.set(name, value);
	}

	set(name: string | Record<string, string>, value?: string | string[]) {
		if (typeof name === 'object') {
			for (const [k, v] of Object.entries(name)) this.setHeader(k, v);
		} else if (value !== undefined) {
			this.setHeader(name, value);
		}
		return this;
	}

	get(name: string) {
		return this.getHeader(name);
	}

	type(contentType: string) {
		const mime = contentType.includes('/')
			? contentType
			: contentType === 'html'
				? 'text/html'
				: contentType === 'json'
					? 'application/json'
					: `text/${contentType}`;
		return this.setHeader('content-type', mime);
	}

	contentType(contentType: string) {
		return this.type(contentType);
	}

	writeHead(statusCode: number, statusMessageOrHeaders?: string | Record<string, string>, headers?: Record<string, string>) {
		this.statusCode = statusCode;
		const hdrs = typeof statusMessageOrHeaders === 'object' ? statusMessageOrHeaders : headers;
		if (typeof statusMessageOrHeaders === 'string') this.statusMessage = statusMessageOrHeaders;
		for (const [k, v] of Object.entries(hdrs ?? {})) this.setHeader(k, v);
		this.headersSent = true;
		return this;
	}

	flushHeaders() {
		this.headersSent = true;
	}

	write(chunk: string | Buffer, encoding?: BufferEncoding | (() => void)) {
		this.headersSent = true;
		this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf-8'));
		return true;
	}

	end(chunk?: string | Buffer | (() => void)) {
		if (this.writableEnded) return this;
		if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
		this.headersSent = true;
		this.writableEnded = true;
		this.finished = true;
		this.emit('finish');
		this.closed = true;
		this.emit('close');
		return this;
	}

	send(body?: unknown) {
		if (body === undefined || body === null) return this.end();
		if (Buffer.isBuffer(body)) {
			if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/octet-stream');
			return this.end(body);
		}
		if (typeof body === 'object') return this.json(body);
		if (!this.hasHeader('content-type')) this.setHeader('content-type', 'text/html; charset=utf-8');
		return this.end(String(body));
	}

	json(body: unknown) {
		if (!this.hasHeader('content-type')) this.setHeader('content-type', 'application/json; charset=utf-8');
		return this.end(JSON.stringify(body));
	}

	/** Records the view; the body is a placeholder because n8n's templates are not available. */
	render(view: string, data?: unknown) {
		this.renders.push({ view, data });
		if (!this.hasHeader('content-type')) this.setHeader('content-type', 'text/html; charset=utf-8');
		return this.end(`<!-- rendered view: ${view} -->`);
	}

	redirect(statusOrUrl: number | string, maybeUrl?: string) {
		const [status, url] = typeof statusOrUrl === 'number' ? [statusOrUrl, maybeUrl!] : [302, statusOrUrl];
		this.statusCode = status;
		this.setHeader('location', url);
		return this.end();
	}

	cookie() {
		return this;
	}

	clearCookie() {
		return this;
	}

	get rawBody(): string {
		return Buffer.concat(this.chunks).toString('utf-8');
	}

	/** Parsed JSON when the content-type is JSON, the text otherwise (undefined if empty). */
	get body(): unknown {
		const raw = this.rawBody;
		if (raw === '') return undefined;
		const contentType = String(this.getHeader('content-type') ?? '');
		if (contentType.includes('json')) {
			try {
				return JSON.parse(raw);
			} catch {
				return raw;
			}
		}
		return raw;
	}
}

/** packages/cli/src/response-helper.ts `sendErrorResponse()` (production mode, no stack). */
export function sendErrorResponse(res: FakeResponse, error: Error & Record<string, unknown>): void {
	let httpStatusCode = 500;
	const response: Record<string, unknown> = { code: 0, message: error.message ?? 'Unknown error' };
	const isResponseError =
		typeof error.httpStatusCode === 'number' && typeof error.errorCode === 'number';
	if (isResponseError) {
		const originalUrl = res.req.originalUrl;
		if (error.errorCode === 404 && originalUrl) {
			const basePath = originalUrl.split('/')[1];
			if (basePath.includes('form')) {
				res.status(404);
				res.render('form-trigger-404', { isTestWebhook: basePath.includes('test') });
				return;
			}
		}
		if (error.errorCode === 409 && originalUrl?.includes('form-waiting')) {
			res.render('form-trigger-409', { message: error.message });
			return;
		}
		httpStatusCode = error.httpStatusCode as number;
		if (error.errorCode) response.code = error.errorCode;
		if (error.hint) response.hint = error.hint;
	}
	if (error.name === 'NodeApiError') Object.assign(response, error);
	res.status(httpStatusCode).json(response);
}

/** cli's ResponseError subclasses, shape-compatible with `sendErrorResponse` */
export class HttpResponseError extends Error {
	constructor(
		message: string,
		readonly httpStatusCode: number,
		readonly errorCode: number = httpStatusCode,
		readonly hint?: string,
	) {
		super(message);
		this.name =
			httpStatusCode === 404 ? 'NotFoundError' : httpStatusCode === 409 ? 'ConflictError' : 'ResponseError';
	}
}
