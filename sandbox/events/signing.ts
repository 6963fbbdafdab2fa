/**
 * Svix signing exactly as AGENTMAIL_API.md §6.4: the key is the base64 part of
 * the `whsec_` secret, the signed content `${svix_id}.${svix_timestamp}.${body}`,
 * the header `v1,<base64 HMAC-SHA256>` (several space-separated when a secret
 * is being rotated).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export function svixSignature(secret: string, svixId: string, timestamp: string, body: string): string {
	const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
	const mac = createHmac('sha256', key).update(`${svixId}.${timestamp}.${body}`).digest('base64');
	return `v1,${mac}`;
}

/** The three Svix headers for one attempt; the timestamp is the attempt's own. */
export function svixHeaders(
	secrets: string[],
	svixId: string,
	body: string,
	nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
	const timestamp = String(nowSeconds);
	return {
		'svix-id': svixId,
		'svix-timestamp': timestamp,
		'svix-signature': secrets.map((secret) => svixSignature(secret, svixId, timestamp, body)).join(' '),
	};
}
