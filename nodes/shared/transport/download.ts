import { NodeApiError, sleep, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import type { AgentMailContext } from './request';
import { MAX_ATTEMPTS, isRetryableStatus, retryDelayMs } from './retry';

/** What n8n's prepareBinaryData takes: the response stream (no `stream` import: not allowed in community nodes). */
type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

export interface Download {
	/** The body, read as it arrives (never buffered here). */
	stream: Readable;
	contentType?: string;
}

/** The URL without its query and fragment: a presigned link's signature is a capability, kept out of errors. */
function withoutQuery(url: URL): string {
	return `${url.origin}${url.pathname}`;
}

function downloadError(ctx: AgentMailContext, message: string, itemIndex: number | undefined, status?: number): NodeApiError {
	const error = new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message: `Could not download the attachment: ${message}`,
		description: 'The download link AgentMail gave expires after a while; run the node again for a new one.',
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
	error.context.agentMail = { status, code: 'download_failed', message };
	return error;
}

/** Reads and drops a body that is not wanted (an error page), so the socket is freed. */
async function drain(stream: Readable | undefined): Promise<void> {
	if (!stream || typeof stream.resume !== 'function') return;
	stream.resume();
	await new Promise<void>((resolve) => {
		stream.once('end', resolve);
		stream.once('error', () => resolve());
		stream.once('close', resolve);
	});
}

/**
 * Fetches an AttachmentResponse's `download_url` as a stream. The link is
 * presigned (AGENTMAIL_API.md §3.3: `download_url`, `expires_at`), so it goes
 * out through n8n's plain HTTP helper WITHOUT the AgentMail credential: the
 * API key must never reach the storage host. GET is repeatable, so 5xx, 408,
 * 429 and dropped connections are retried like API reads (MAX_ATTEMPTS).
 * Any context can download: a node execution (binary data) or the review
 * page's webhook (a reviewer opening a draft's attachment).
 */
export async function downloadUrl(ctx: AgentMailContext, link: unknown, itemIndex?: number): Promise<Download> {
	let url: URL;
	try {
		url = new URL(String(link));
	} catch {
		throw downloadError(ctx, 'AgentMail gave no valid download_url', itemIndex);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw downloadError(ctx, `unsupported download_url scheme ${url.protocol}`, itemIndex);
	}
	for (let attempt = 0; ; attempt++) {
		let response: { statusCode: number; headers: Record<string, unknown>; body: Readable };
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url: url.toString(),
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as typeof response;
		} catch (error) {
			if (attempt + 1 >= MAX_ATTEMPTS) {
				const reason = (error as Error)?.message ?? String(error);
				throw downloadError(ctx, `${withoutQuery(url)}: ${reason.replace(url.search, '')}`, itemIndex);
			}
			await sleep(retryDelayMs(attempt, undefined));
			continue;
		}
		const { statusCode } = response;
		if (statusCode >= 200 && statusCode < 300) {
			const type = response.headers['content-type'];
			return { stream: response.body, contentType: typeof type === 'string' ? type : undefined };
		}
		await drain(response.body);
		if (!isRetryableStatus(statusCode) || attempt + 1 >= MAX_ATTEMPTS) {
			throw downloadError(ctx, `${withoutQuery(url)} answered HTTP ${statusCode}`, itemIndex, statusCode);
		}
		await sleep(retryDelayMs(attempt, response.headers['retry-after']));
	}
}
