import { NodeOperationError, type IHttpRequestOptions } from 'n8n-workflow';

import type { AgentMailContext } from './request';

interface FullBinaryResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * The bytes behind a `download_url` of an `AttachmentResponse` (AGENTMAIL_API.md
 * §3.3): a presigned link to file storage, not an API endpoint, so it is
 * fetched with n8n's plain request helper and without the API key, which must
 * never travel to another host. A failure names the status only: the URL's
 * query holds the signature and stays out of errors.
 */
export async function downloadUrl(ctx: AgentMailContext, url: string, what: string): Promise<Buffer> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `AgentMail gave no valid download URL for ${what}`);
	}
	if (!/^https?:$/.test(parsed.protocol)) {
		throw new NodeOperationError(ctx.getNode(), `AgentMail gave a ${parsed.protocol} download URL for ${what}; only http(s) is fetched`);
	}
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	let response: FullBinaryResponse;
	try {
		response = (await ctx.helpers.httpRequest(options)) as FullBinaryResponse;
	} catch (error) {
		const reason = (error as { code?: string; message?: string })?.code ?? 'network error';
		throw new NodeOperationError(ctx.getNode(), `Could not download ${what} from ${parsed.host}: ${reason}`);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw new NodeOperationError(ctx.getNode(), `Downloading ${what} from ${parsed.host} answered HTTP ${response.statusCode}`, {
			description: 'Download links expire after a while; the attachment can be fetched again with its attachment_id.',
		});
	}
	const body = response.body;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	return Buffer.from(String(body ?? ''));
}
