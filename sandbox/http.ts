/**
 * The HTTP front: parses requests, logs /v0 traffic, applies injected faults,
 * checks the Bearer key and its permissions (permissions.ts), routes, runs idempotent sends through
 * idempotency.ts, and writes JSON or the error envelope.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiKeyRecord } from './apiKeys';
import type { App } from './app';
import { sleep } from './clock';
import type { Reply, RequestContext } from './context';
import { ApiError, apiError } from './errors';
import type { Fault } from './faults';
import { authorize } from './permissions';
import { fingerprint, readIdempotencyKey, withIdempotency } from './idempotency';
import { Query } from './query';
import { redactHeaders, type LoggedRequest } from './requestLog';
import type { Router } from './router';

export const MAX_BODY_BYTES = 40 * 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

interface ParsedRequest {
	method: string;
	rawPath: string;
	/** Decoded segments; undefined when a segment has a malformed escape. */
	segments?: string[];
	decodedPath: string;
	params: URLSearchParams;
	raw: Buffer;
	baseUrl: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) reject(apiError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`));
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseRequest(req: IncomingMessage, raw: Buffer, fallbackHost: string): ParsedRequest {
	const url = req.url ?? '/';
	const q = url.indexOf('?');
	const rawPath = q >= 0 ? url.slice(0, q) : url;
	let segments: string[] | undefined;
	try {
		segments = rawPath.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
	} catch {
		segments = undefined;
	}
	return {
		method: (req.method ?? 'GET').toUpperCase(),
		rawPath,
		segments,
		decodedPath: segments ? `/${segments.join('/')}` : rawPath,
		params: new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''),
		raw,
		baseUrl: `http://${req.headers.host ?? fallbackHost}`,
	};
}

function parseJson(raw: Buffer): unknown {
	if (raw.length === 0) return undefined;
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		throw apiError(400, 'Request body is not valid JSON', { errors: [{ path: [], message: 'Invalid JSON' }] });
	}
}

function bodyForLog(raw: Buffer): unknown {
	if (raw.length === 0) return null;
	try {
		return JSON.parse(raw.toString('utf8'));
	} catch {
		return raw.toString('utf8');
	}
}

function write(res: ServerResponse, reply: Reply): void {
	const headers: Record<string, string | number> = { ...reply.headers };
	if (reply.status === 204 || reply.body === undefined) {
		res.writeHead(reply.status, headers);
		res.end();
		return;
	}
	const isRaw = Buffer.isBuffer(reply.body);
	const payload = isRaw ? (reply.body as Buffer) : Buffer.from(JSON.stringify(reply.body));
	if (!isRaw) headers['content-type'] = 'application/json; charset=utf-8';
	headers['content-length'] = payload.length;
	res.writeHead(reply.status, headers);
	res.end(payload);
}

function errorReply(error: unknown, app: App): Reply {
	if (error instanceof ApiError) return { status: error.status, body: error.body, headers: error.headers };
	app.logError('[sandbox] unexpected error:', error);
	return { status: 500, body: apiError(500, `Sandbox bug: ${(error as Error)?.message ?? error}`).body };
}

function faultReply(fault: Fault): Reply {
	const status = fault.status ?? 500;
	const headers: Record<string, string> = {};
	if (fault.retry_after !== undefined) headers['retry-after'] = String(fault.retry_after);
	const error = apiError(status, fault.message ?? `Injected fault ${fault.fault_id} (AgentMail sandbox)`, {
		code: fault.code,
		headers,
	});
	return { status, body: error.body, headers };
}

/** The caller's key record, or 401. */
function authenticate(app: App, header: string | undefined): ApiKeyRecord {
	const fix = 'Send the header "Authorization: Bearer <api_key>" with the sandbox API key.';
	if (!header) throw apiError(401, 'Missing Authorization header', { code: 'missing_authorization', fix });
	if (!header.startsWith('Bearer ')) {
		throw apiError(401, 'Authorization must use the Bearer scheme', { code: 'invalid_token_type', fix });
	}
	const key = app.apiKeys.get(header.slice('Bearer '.length).trim());
	if (!key) throw apiError(401, 'Unknown API key', { code: 'unknown_api_key', fix });
	return key;
}

/** `key`: the caller's API key (/v0), whose permissions are checked; undefined for /_sandbox. */
async function route(
	app: App,
	router: Router,
	req: IncomingMessage,
	parsed: ParsedRequest,
	latencyMs: number,
	key?: ApiKeyRecord,
): Promise<Reply> {
	if (!parsed.segments) throw apiError(400, 'Malformed percent-encoding in the request path');
	const match = router.match(parsed.method, parsed.segments);
	if (match.kind === 'none') {
		throw apiError(404, `No such endpoint in the AgentMail sandbox: ${parsed.method} ${parsed.decodedPath}`, {
			fix: 'See sandbox/README.md for the endpoints the sandbox implements.',
		});
	}
	if (match.kind === 'wrong-method') {
		throw apiError(405, `${parsed.method} is not supported on ${parsed.decodedPath}`, {
			headers: { allow: match.allowed.join(', ') },
		});
	}
	let pending = latencyMs;
	const query = new Query(parsed.params);
	// The route's own permission before anything is parsed; the body's (send_at, in_reply_to, ...) once it is.
	if (key?.permissions) authorize(key.permissions, parsed.method, match.route.pattern, { query, body: undefined });
	const body = parseJson(parsed.raw);
	if (key?.permissions) authorize(key.permissions, parsed.method, match.route.pattern, { query, body });
	const idempotencyKey = match.route.idempotent ? readIdempotencyKey(req.headers['idempotency-key']) : undefined;
	const ctx: RequestContext = {
		app,
		method: parsed.method,
		path: parsed.decodedPath,
		params: match.params,
		query,
		body,
		headers: req.headers,
		baseUrl: parsed.baseUrl,
		idempotencyKey,
		pause: async () => {
			const ms = pending;
			pending = 0;
			if (ms > 0) await sleep(ms);
		},
	};
	const run = async (): Promise<Reply> => match.route.handler(ctx);
	try {
		return match.route.idempotent
			? await withIdempotency(app.store, idempotencyKey, fingerprint(parsed.method, parsed.decodedPath, body), run)
			: await run();
	} finally {
		await ctx.pause();
	}
}

/** /v0 traffic: logged, faults, auth, routing. */
async function handleApi(app: App, router: Router, req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest) {
	const started = Date.now();
	const entry: LoggedRequest = app.requests.add({
		received_at: new Date(started).toISOString(),
		method: parsed.method,
		url: req.url ?? '/',
		path: parsed.rawPath,
		decoded_path: parsed.decodedPath,
		query: new Query(parsed.params).toObject(),
		headers: redactHeaders(req.headers),
		body: bodyForLog(parsed.raw),
		status: null,
	});
	const fault = app.faults.take(parsed.method, parsed.decodedPath);
	if (fault) entry.fault_id = fault.fault_id;
	let reply: Reply;
	if (fault?.after) {
		// The work is done (and logged as done), then the answer is lost:
		// what a client sees when AgentMail fails after processing.
		try {
			const key = authenticate(app, req.headers.authorization);
			entry.processed_status = (await route(app, router, req, parsed, fault.latency_ms ?? 0, key)).status;
		} catch (error) {
			entry.processed_status = errorReply(error, app).status;
		}
	}
	if (fault && (fault.status !== undefined || fault.drop)) {
		if (fault.latency_ms && !fault.after) await sleep(fault.latency_ms);
		if (fault.drop) {
			entry.dropped = true;
			entry.duration_ms = Date.now() - started;
			req.socket.destroy();
			return;
		}
		reply = faultReply(fault);
	} else {
		try {
			const key = authenticate(app, req.headers.authorization);
			app.rateLimits.take(key.api_key);
			reply = await route(app, router, req, parsed, fault?.latency_ms ?? 0, key);
		} catch (error) {
			reply = errorReply(error, app);
		}
	}
	entry.status = reply.status;
	entry.duration_ms = Date.now() - started;
	write(res, reply);
}

/** /_sandbox: loopback clients only, no auth, not logged. */
async function handleAdmin(app: App, router: Router, req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest) {
	let reply: Reply;
	try {
		if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
			throw apiError(403, 'The /_sandbox endpoints answer loopback clients only');
		}
		reply = await route(app, router, req, parsed, 0);
	} catch (error) {
		reply = errorReply(error, app);
	}
	write(res, reply);
}

export function createSandboxServer(app: App, api: Router, admin: Router, fallbackHost: string): Server {
	return createServer((req, res) => {
		void (async () => {
			let raw: Buffer;
			try {
				raw = await readBody(req);
			} catch (error) {
				write(res, errorReply(error, app));
				req.resume();
				return;
			}
			const parsed = parseRequest(req, raw, fallbackHost);
			if (parsed.segments?.[0] === '_sandbox') await handleAdmin(app, admin, req, res, parsed);
			else await handleApi(app, api, req, res, parsed);
		})().catch((error) => {
			app.logError('[sandbox] request failed:', error);
			if (!res.headersSent) write(res, errorReply(error, app));
		});
	});
}
