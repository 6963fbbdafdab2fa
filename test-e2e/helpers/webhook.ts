/**
 * Calling n8n webhooks (production /webhook/PATH, resume URLs from
 * $execution.resumeUrl) and plain HTTP with the parsed answer.
 */
import { httpRequest, type HttpOptions, type HttpResult } from '../../scripts/lib/http';
import { e2eState } from './env';

export { httpRequest, type HttpOptions, type HttpResult } from '../../scripts/lib/http';

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
