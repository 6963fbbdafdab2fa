import { randomBytes } from 'node:crypto';

/** Lower-case alphanumeric random string (base 36), `length` characters. */
export function randomId(length = 20): string {
	const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
	const bytes = randomBytes(length);
	let out = '';
	for (const byte of bytes) out += alphabet[byte % alphabet.length];
	return out;
}

export const newDraftId = (): string => `drf_${randomId(24)}`;
export const newThreadId = (): string => `thd_${randomId(24)}`;
export const newAttachmentId = (): string => `att_${randomId(24)}`;
export const newFaultId = (): string => `flt_${randomId(12)}`;
export const newPodId = (): string => `pod_${randomId(20)}`;
export const newOrganizationId = (): string => `org_${randomId(20)}`;
/** RFC 5322 Message-ID with angle brackets, as AgentMail returns them. */
export const newMessageId = (): string => `<${randomId(32)}@agentmail.to>`;
export const newUsername = (): string => `inbox-${randomId(10)}`;
