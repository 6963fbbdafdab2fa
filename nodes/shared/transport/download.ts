import { NodeApiError, sleep, type IHttpRequestOptions, type JsonObject } from 'n8n-workflow';

import type { AgentMailContext } from './request';
import { MAX_ATTEMPTS, isRetryableStatus, retryDelayMs } from './retry';

export interface DownloadedFile {
	bytes: Buffer;
	/** The Content-Type the storage answered with, if any. */
	contentType?: string;
}

export interface DownloadOptions {
	/** Epoch ms after which no attempt starts and no answer is awaited. */
	deadline?: number;
	itemIndex?: number;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

function downloadError(ctx: AgentMailContext, message: string, status: number | undefined, itemIndex?: number): NodeApiError {
	const error = new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message: `Could not download the attachment: ${message}`,
		description: 'AgentMail gave a download link that did not answer with the file. Try again; links expire after a while.',
		httpCode: status === undefined ? undefined : String(status),
		itemIndex,
	});
	error.context.agentMail = { status, code: status === undefined ? 'network_error' : 'download_failed', message };
	return error;
}

/**
 * Fetches the file behind an AgentMail `download_url` (AttachmentResponse,
 * AGENTMAIL_API.md §3.3): a pre-signed link to AgentMail's file storage.
 * It is requested WITHOUT the AgentMail credential: the link carries its own
 * authorisation, and the API key must never travel to the storage host.
 * Only http(s) links are followed. GETs are repeated after 408, 429, 5xx and
 * dropped connections, up to MAX_ATTEMPTS times.
 */
export async function downloadFile(
	ctx: AgentMailContext,
	url: unknown,
	options: DownloadOptions = {},
): Promise<DownloadedFile> {
	let parsed: URL;
	try {
		parsed = new URL(String(url ?? ''));
	} catch {
		throw downloadError(ctx, 'AgentMail answered without a valid download_url', undefined, options.itemIndex);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw downloadError(ctx, `the download_url is not an http(s) link (${parsed.protocol})`, undefined, options.itemIndex);
	}
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: parsed.toString(),
		encoding: 'arraybuffer',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	for (let attempt = 0; ; attempt++) {
		if (options.deadline !== undefined) {
			const left = options.deadline - Date.now();
			if (left <= 0) throw downloadError(ctx, 'the time allowed for the download ran out', undefined, options.itemIndex);
			request.timeout = left;
		}
		let response: RawResponse;
		try {
			response = (await ctx.helpers.httpRequest(request)) as RawResponse;
		} catch (error) {
			const reason = (error as { message?: string })?.message ?? String(error);
			const delay = retryDelayMs(attempt, undefined);
			if (attempt + 1 >= MAX_ATTEMPTS || (options.deadline !== undefined && Date.now() + delay >= options.deadline)) {
				throw downloadError(ctx, reason, undefined, options.itemIndex);
			}
			await sleep(delay);
			continue;
		}
		const { statusCode, headers, body } = response;
		if (statusCode >= 200 && statusCode < 300) {
			const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
			const type = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
			return { bytes, contentType: typeof type === 'string' ? type : undefined };
		}
		const delay = retryDelayMs(attempt, headers?.['retry-after']);
		if (
			!isRetryableStatus(statusCode) ||
			attempt + 1 >= MAX_ATTEMPTS ||
			(options.deadline !== undefined && Date.now() + delay >= options.deadline)
		) {
			throw downloadError(ctx, `the file storage answered HTTP ${statusCode}`, statusCode, options.itemIndex);
		}
		await sleep(delay);
	}
}
