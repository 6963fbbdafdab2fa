/**
 * A tiny HTTP server on 127.0.0.1 that records every request it gets: put
 * its URL into content that must never be fetched (remote images, styles in
 * an email body) and assert afterwards that `hits` stayed empty.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface CanaryHit {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	at: string;
}

export interface CanaryServer {
	/** http://127.0.0.1:PORT (no trailing slash) */
	url: string;
	port: number;
	hits: CanaryHit[];
	close(): Promise<void>;
}

export async function startCanaryServer(): Promise<CanaryServer> {
	const hits: CanaryHit[] = [];
	const server = http.createServer((req, res) => {
		hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: new Date().toISOString() });
		// A 1x1 transparent GIF: whatever asked gets a valid answer.
		const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
		res.writeHead(200, { 'content-type': 'image/gif', 'content-length': gif.length, 'cache-control': 'no-store' });
		res.end(gif);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		hits,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
