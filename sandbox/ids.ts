import { randomBytes } from 'node:crypto';

/** Lower-case alphanumeric random string (base 36), `length` characters. */
export function randomId(length = 20): string {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
	const bytes = randomBytes(length);
	let out = '';
	for (const byte of bytes) out += alphabet[byte % alphabet.length];
	return out;
}

/**
 * Draft and message ids as real mail systems mint them: RFC 5322 Message-IDs
 * may hold any atext character, so the sandbox puts `/`, `+`, `=` and `?` in
 * every one. Every client (and every test) then has to percent-encode them
 * as one path segment, as the official SDK does (encodeURIComponent).
 */
function atextId(): string {
	return `${randomId(10)}/${randomId(6)}+${randomId(6)}=${randomId(4)}?${randomId(6)}`;
}

export const newDraftId = (): string => `drf_${atextId()}`;
export const newThreadId = (): string => `thd_${randomId(24)}`;
export const newAttachmentId = (): string => `att_${randomId(24)}`;
export const newFaultId = (): string => `flt_${randomId(12)}`;
export const newPodId = (): string => `pod_${randomId(20)}`;
export const newOrganizationId = (): string => `org_${randomId(20)}`;
/** RFC 5322 Message-ID with angle brackets, as AgentMail returns them (see atextId). */
export const newMessageId = (): string => `<${atextId()}@agentmail.to>`;
export const newUsername = (): string => `inbox-${randomId(10)}`;
