/**
 * A minimal AgentMail-shaped API for the benchmark, run in its own process so
 * that its CPU and memory never count for the client: near-zero service time,
 * optional fixed latency, an optional token bucket (429 with Retry-After),
 * and Idempotency-Key replay on sends like AgentMail's (AGENTMAIL_API.md §7.4).
 *
 *   GET  /v0/inboxes/:inbox/drafts/:id      a full Draft
 *   GET  /v0/inboxes/:inbox/drafts          pages of `drafts` DraftItems (limit, page_token)
 *   POST /v0/inboxes/:inbox/messages/send   { message_id, thread_id }
 *   POST /_bench/config { latencyMs?, drafts?, bucket?: { capacity, perSecond } | null }
 *   GET  /_bench/stats, POST /_bench/reset  (never delayed or rate limited); the stats count
 *   connections opened, the most open at once, the most requests being answered at once, and
 *   with a bucket: the time it sat full (capacity nobody used) and the first and last admission
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Config {
	latencyMs: number;
	drafts: number;
	bucket: { capacity: number; perSecond: number } | null;
}

const config: Config = { latencyMs: 0, drafts: 0, bucket: null };
let tokens = 0;
let refilledAt = Date.now();
const stats = { requests: 0, limited: 0, sends: 0, replays: 0, emails: 0, duplicateEmails: 0, connections: 0, peakInFlight: 0, peakOpen: 0, fullMs: 0, firstAdmitAt: 0, lastAdmitAt: 0 };
/** Requests being answered, and connections open, right now (their peaks are in stats). */
let inFlight = 0;
let open = 0;
/** Idempotency-Key -> the answer of its first send. */
const sentByKey = new Map<string, string>();
/** What the sends were for (the `text` of each email) -> how many emails went out for it. */
const emailsFor = new Map<string, number>();

function reset() {
	Object.assign(stats, { requests: 0, limited: 0, sends: 0, replays: 0, emails: 0, duplicateEmails: 0, connections: 0, peakInFlight: 0, peakOpen: 0, fullMs: 0, firstAdmitAt: 0, lastAdmitAt: 0 });
	sentByKey.clear();
	emailsFor.clear();
	tokens = config.bucket?.capacity ?? 0;
	refilledAt = Date.now();
}

const PREVIEW = 'Hello, thank you for your message. We have looked into your request and '.repeat(3);

function draftItem(index: number) {
	const id = `draft_${String(index).padStart(8, '0')}`;
	return {
		inbox_id: 'agent@agentmail.to',
		draft_id: id,
		client_id: null,
		labels: ['draft', 'pending-approval'],
		reply_to: ['support@agentmail.to'],
		to: [`customer-${index}@example.com`],
		cc: ['team@example.com'],
		bcc: [],
		subject: `Re: your order ${100000 + index} and the refund we discussed`,
		preview: PREVIEW,
		attachments: [],
		in_reply_to: `<msg-${index}@mail.example.com>`,
		send_status: null,
		send_at: null,
		updated_at: new Date(1_780_000_000_000 - index * 1000).toISOString(),
		created_at: new Date(1_780_000_000_000 - index * 1000).toISOString(),
	};
}

function fullDraft(id: string) {
	return {
		...draftItem(7),
		draft_id: id,
		text: 'Hello,\n\nwe have approved your refund of 42 EUR. It will reach your card within 5 days.\n\nBest regards\nSupport',
		html: '<p>Hello,</p><p>we have approved your refund of 42 EUR. It will reach your card within 5 days.</p><p>Best regards<br>Support</p>',
	};
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Token bucket: true when the request may go on; else the 429 has been sent. */
function admit(res: ServerResponse): boolean {
	const bucket = config.bucket;
	if (!bucket) return true;
	const now = Date.now();
	const refilled = tokens + ((now - refilledAt) * bucket.perSecond) / 1000;
	// time the bucket sat full since the first admitted request: capacity nobody used
	if (refilled > bucket.capacity && stats.firstAdmitAt) stats.fullMs += ((refilled - bucket.capacity) * 1000) / bucket.perSecond;
	tokens = Math.min(bucket.capacity, refilled);
	refilledAt = now;
	if (tokens >= 1) {
		tokens -= 1;
		if (!stats.firstAdmitAt) stats.firstAdmitAt = now;
		stats.lastAdmitAt = now;
		return true;
	}
	stats.limited++;
	const retryAfter = Math.max(1, Math.ceil((1 - tokens) / bucket.perSecond));
	send(res, 429, { name: 'RateLimitError', code: 'rate_limit_exceeded', message: 'Too many requests' }, { 'retry-after': String(retryAfter) });
	return false;
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL, raw: string) {
	stats.requests++;
	if (!admit(res)) return;
	const parts = url.pathname.split('/').map(decodeURIComponent);
	// ['', 'v0', 'inboxes', inbox, 'drafts' | 'messages', id?, ...]
	if (req.method === 'GET' && parts[4] === 'drafts' && parts.length === 6) return send(res, 200, fullDraft(parts[5]));
	if (req.method === 'GET' && parts[4] === 'drafts' && parts.length === 5) {
		const offset = Number(url.searchParams.get('page_token') ?? 0) || 0;
		const limit = Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 100);
		const end = Math.min(offset + limit, config.drafts);
		const drafts = [];
		for (let index = offset; index < end; index++) drafts.push(draftItem(index));
		return send(res, 200, { count: drafts.length, limit, drafts, ...(end < config.drafts ? { next_page_token: String(end) } : {}) });
	}
	if (req.method === 'POST' && parts[4] === 'messages' && parts[5] === 'send') {
		const key = String(req.headers['idempotency-key'] ?? '');
		const earlier = key ? sentByKey.get(key) : undefined;
		if (earlier) {
			stats.replays++;
			return send(res, 200, JSON.parse(earlier));
		}
		const body = JSON.parse(raw || '{}') as { text?: string };
		stats.sends++;
		stats.emails++;
		const what = String(body.text ?? '');
		const before = emailsFor.get(what) ?? 0;
		if (before > 0) stats.duplicateEmails++;
		emailsFor.set(what, before + 1);
		const answer = { message_id: `<m${stats.emails}@agentmail.to>`, thread_id: `t${stats.emails}` };
		if (key) sentByKey.set(key, JSON.stringify(answer));
		return send(res, 200, answer);
	}
	send(res, 404, { name: 'NotFoundError', code: 'not_found', message: `No route for ${req.method} ${url.pathname}` });
}

const server = createServer((req, res) => {
	void (async () => {
		const url = new URL(req.url ?? '/', 'http://bench');
		const raw = await readBody(req);
		if (url.pathname.startsWith('/_bench/')) {
			if (url.pathname === '/_bench/config' && req.method === 'POST') {
				Object.assign(config, JSON.parse(raw || '{}'));
				reset();
				return send(res, 200, config);
			}
			if (url.pathname === '/_bench/reset') {
				reset();
				return send(res, 200, {});
			}
			return send(res, 200, { ...stats, distinctEmails: emailsFor.size });
		}
		inFlight++;
		if (inFlight > stats.peakInFlight) stats.peakInFlight = inFlight;
		res.once('close', () => inFlight--);
		if (config.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, config.latencyMs));
		await api(req, res, url, raw);
	})().catch((error: Error) => send(res, 500, { name: 'ServerError', code: 'internal_error', message: error.message }));
});
server.on('connection', (socket) => {
	stats.connections++;
	open++;
	if (open > stats.peakOpen) stats.peakOpen = open;
	socket.once('close', () => open--);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	process.send?.({ port });
});
process.on('disconnect', () => process.exit(0));
