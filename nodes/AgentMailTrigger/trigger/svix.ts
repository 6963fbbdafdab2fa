import { createHmac, timingSafeEqual } from 'node:crypto';

/** Svix's tolerance for the `svix-timestamp` header: ±5 minutes. */
export const TOLERANCE_SECONDS = 5 * 60;

export type Verdict = { ok: true } | { ok: false; reason: string };

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : undefined;
}

function keyOf(secret: string): Buffer {
	return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * Svix verification as AGENTMAIL_API.md §6.4 describes it: HMAC-SHA256 over
 * `${svix-id}.${svix-timestamp}.${raw body}` with the base64-decoded secret,
 * compared in constant time with each `v1,<base64>` entry of `svix-signature`
 * (several while a secret is rotated), and a timestamp within ±5 minutes.
 * `headers` must have lower-case names (as Node delivers them).
 */
export function verifySvix(
	secrets: string[],
	headers: Record<string, unknown>,
	rawBody: Buffer,
	nowSeconds = Math.floor(Date.now() / 1000),
): Verdict {
	const id = header(headers, 'svix-id');
	const timestamp = header(headers, 'svix-timestamp');
	const signatures = header(headers, 'svix-signature');
	if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing Svix signature headers' };
	if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'invalid svix-timestamp' };
	if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) {
		return { ok: false, reason: 'svix-timestamp outside the 5 minute tolerance' };
	}
	const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), rawBody]);
	const candidates = signatures
		.split(' ')
		.filter((part) => part.startsWith('v1,'))
		.map((part) => Buffer.from(part.slice(3), 'base64'));
	for (const secret of secrets) {
		const expected = createHmac('sha256', keyOf(secret)).update(signed).digest();
		for (const candidate of candidates) {
			if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
		}
	}
	return { ok: false, reason: 'no matching signature' };
}
