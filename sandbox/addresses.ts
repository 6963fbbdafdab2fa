/**
 * Email addresses as AgentMail accepts them: `user@domain.com` or
 * `Display Name <user@domain.com>`.
 */

const LOCAL = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\`{|}~.-]+`;
const DOMAIN = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}`;

const BARE_EMAIL = new RegExp(`^${LOCAL}@${DOMAIN}$`);
const BARE_DOMAIN = new RegExp(`^${DOMAIN}$`);
const NAMED = /^\s*(?:"([^"]*)"|([^<>"]*?))\s*<([^<>\s]+)>\s*$/;

export function isEmail(value: string): boolean {
	return BARE_EMAIL.test(value) && value.length <= 254;
}

export function isDomain(value: string): boolean {
	return BARE_DOMAIN.test(value) && value.length <= 253;
}

/** The lower-cased bare email inside an address, or undefined when it is not a valid address. */
export function emailOf(address: string): string | undefined {
	const trimmed = address.trim();
	if (isEmail(trimmed)) return trimmed.toLowerCase();
	const named = NAMED.exec(trimmed);
	if (named && isEmail(named[3])) return named[3].toLowerCase();
	return undefined;
}

export function isAddress(address: string): boolean {
	return emailOf(address) !== undefined;
}

export function domainOf(email: string): string {
	return email.slice(email.lastIndexOf('@') + 1);
}

/** `Display Name <email>` when there is a display name, else the email. */
export function formatAddress(email: string, displayName?: string): string {
	if (!displayName) return email;
	const needsQuotes = /[",;<>@()[\]:\\]/.test(displayName);
	const name = needsQuotes ? `"${displayName.replace(/["\\]/g, '')}"` : displayName;
	return `${name} <${email}>`;
}

/** Keeps the first address per email, dropping any whose email is in `exclude`. */
export function uniqueAddresses(addresses: string[], exclude: Iterable<string> = []): string[] {
	const seen = new Set<string>(exclude);
	const out: string[] = [];
	for (const address of addresses) {
		const email = emailOf(address);
		if (!email || seen.has(email)) continue;
		seen.add(email);
		out.push(address);
	}
	return out;
}

/** Normalises the API's `string | string[]` address fields to an array. */
export function toList<T>(value: T | T[] | null | undefined): T[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}
