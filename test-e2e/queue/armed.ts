/**
 * HTTP requests that are connected and serialised in advance and released
 * with one socket write each, so that two of them reach n8n at the same
 * instant (same event-loop tick here, no DNS, no connection set-up, no
 * body streaming). `Connection: close`: the answer ends with the socket.
 */
import * as net from 'net';

export interface RawResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** Date.now() when the request bytes were written, and when the answer was complete. */
	firedAt: number;
	doneAt: number;
}

function decodeChunked(body: Buffer): Buffer {
	const parts: Buffer[] = [];
	let offset = 0;
	for (;;) {
		const lineEnd = body.indexOf('\r\n', offset);
		if (lineEnd < 0) break;
		const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
		if (!Number.isFinite(size) || size === 0) break;
		parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
		offset = lineEnd + 2 + size + 2;
	}
	return Buffer.concat(parts);
}

function parseResponse(raw: Buffer): Omit<RawResponse, 'firedAt' | 'doneAt'> {
	const split = raw.indexOf('\r\n\r\n');
	if (split < 0) throw new Error(`incomplete HTTP answer (${raw.length} bytes): ${raw.toString('utf8').slice(0, 200)}`);
	const [statusLine, ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
	const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
	const headers: Record<string, string> = {};
	for (const line of headerLines) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	let body = raw.subarray(split + 4);
	if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = decodeChunked(body);
	return { status, headers, body: body.toString('utf8') };
}

export class ArmedRequest {
	private constructor(
		private readonly socket: net.Socket,
		private readonly bytes: Buffer,
		private readonly answer: Promise<Buffer>,
	) {}

	/** Open the connection and prepare the request; nothing is sent before fire(). */
	static async arm(
		url: string,
		request: { method: string; body?: string; headers?: Record<string, string> },
	): Promise<ArmedRequest> {
		const target = new URL(url);
		const body = Buffer.from(request.body ?? '', 'utf8');
		const headers: Record<string, string> = {
			host: target.host,
			connection: 'close',
			'user-agent': 'n8n-nodes-agentmail-hitl queue e2e',
			...(request.headers ?? {}),
		};
		if (request.body !== undefined) headers['content-length'] = String(body.length);
		const head = [`${request.method} ${target.pathname}${target.search} HTTP/1.1`]
			.concat(Object.entries(headers).map(([name, value]) => `${name}: ${value}`))
			.join('\r\n');
		const bytes = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
		const socket = net.connect({ host: target.hostname, port: Number(target.port || 80) });
		socket.setNoDelay(true);
		const chunks: Buffer[] = [];
		const answer = new Promise<Buffer>((resolve, reject) => {
			socket.on('data', (chunk: Buffer) => chunks.push(chunk));
			socket.once('end', () => resolve(Buffer.concat(chunks)));
			socket.once('error', reject);
		});
		answer.catch(() => undefined); // surfaced by fire()
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('error', reject);
		});
		return new ArmedRequest(socket, bytes, answer);
	}

	/** Write the whole request now; resolves with the parsed answer. */
	fire(): Promise<RawResponse> {
		const firedAt = Date.now();
		this.socket.write(this.bytes);
		return this.answer.then((raw) => ({ ...parseResponse(raw), firedAt, doneAt: Date.now() }));
	}

	/** Close without sending (when a trial is abandoned). */
	disarm(): void {
		this.socket.destroy();
	}
}

/** Fire several armed requests in the same tick; resolves with their answers in order. */
export function fireTogether(requests: ArmedRequest[]): Promise<RawResponse[]> {
	const answers = requests.map((request) => request.fire());
	return Promise.all(answers);
}
