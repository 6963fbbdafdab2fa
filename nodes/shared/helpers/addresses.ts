import { NodeOperationError, type INode } from 'n8n-workflow';

import { describeType, firstControlCharacter, hasControlCharacter } from './values';

// Practical address check, so that AgentMail is not the first to refuse:
// local@domain, one @, no spaces or specials in the local part, no leading,
// trailing or doubled dot, and a domain that passes toAsciiDomain().
// AgentMail does the strict RFC validation.
const LOCAL_PART = /^[^\s@<>(),;:"[\]\\]{1,64}$/;
// `Name <a@b.c>` or `"Name, with <anything>" <a@b.c>` (a quoted name may hold any printable character).
const NAMED = /^\s*((?:"(?:[^"\\]|\\.)*"|[^"<>]*?)\s*)<([^<>\s]+)>\s*$/;
// LDH labels of 1-63 characters, none empty or starting or ending with "-", 253 in all.
const DOMAIN = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$/;
// What an internationalised domain may hold before conversion: letters, marks, digits, "-" and dots.
const IDN_INPUT = /^[\p{L}\p{M}\p{N}.-]+$/u;

/**
 * The domain in ASCII (an internationalised domain such as bücher.example
 * becomes its punycode form xn--bcher-kva.example, via the WHATWG URL parser
 * that Node ships, as DNS and AgentMail need it), or undefined when it is not
 * a usable domain: empty labels (`a..b`, a trailing dot), labels that start
 * or end with "-", no alphabetic top-level label, control characters.
 */
export function toAsciiDomain(value: string): string | undefined {
	if (hasControlCharacter(value)) return undefined;
	let ascii = value;
	if (/[^\x00-\x7f]/.test(value)) {
		if (!IDN_INPUT.test(value) || value.startsWith('.') || value.includes('..')) return undefined;
		try {
			ascii = new URL(`http://${value}/`).hostname;
		} catch {
			return undefined;
		}
	}
	if (!DOMAIN.test(ascii)) return undefined;
	const tld = ascii.split('.').pop() ?? '';
	return /[A-Za-z]/.test(tld) ? ascii : undefined;
}

/** `local@domain` with the domain in ASCII (see toAsciiDomain), or undefined when it is not an address. */
export function normalizeEmail(value: string): string | undefined {
	const at = value.lastIndexOf('@');
	if (at <= 0) return undefined;
	const local = value.slice(0, at);
	if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
	if (hasControlCharacter(local) || /[^\x00-\x7f]/.test(local)) return undefined;
	const domain = toAsciiDomain(value.slice(at + 1));
	return domain ? `${local}@${domain}` : undefined;
}

export function isEmail(value: string): boolean {
	return normalizeEmail(value) !== undefined;
}

export function isDomain(value: string): boolean {
	return toAsciiDomain(value) !== undefined;
}

/**
 * `user@x.com` or `Name <user@x.com>` as it goes to AgentMail (domain in
 * ASCII), or undefined when it is neither, or holds a control character
 * anywhere (a CR or LF in a display name would start a new header).
 */
export function normalizeAddress(value: string): string | undefined {
	const trimmed = value.trim();
	if (hasControlCharacter(trimmed)) return undefined;
	const plain = normalizeEmail(trimmed);
	if (plain) return plain;
	const named = NAMED.exec(trimmed);
	if (!named) return undefined;
	const address = normalizeEmail(named[2]);
	return address ? `${named[1]}<${address}>` : undefined;
}

/** The bare address of `user@x.com` or `Name <user@x.com>` (domain in ASCII), or undefined when it is neither. */
export function bareAddress(value: string): string | undefined {
	const normalized = normalizeAddress(value);
	if (!normalized) return undefined;
	const named = NAMED.exec(normalized);
	return named ? named[2] : normalized;
}

/**
 * Splits what a builder typed (comma/semicolon/newline separated, or an array
 * from an expression) into a list of non-empty strings.
 */
export function splitList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const parts = Array.isArray(value)
		? value.flatMap((entry) => splitList(entry))
		: String(value).split(/[,;\n]/);
	return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

/**
 * Recipient lists as AgentMail takes them (`user@x.com` or `Name <user@x.com>`),
 * each checked (see normalizeAddress), with internationalised domains in
 * punycode; a bad one fails the item naming the field. This is the one
 * address reader of the package: every address field (To, CC, BCC, Reply To,
 * Wait for Approval's Approvers) goes through it.
 */
export function parseAddresses(
	node: INode,
	field: string,
	value: unknown,
	itemIndex: number,
	{ required = false }: { required?: boolean } = {},
): string[] {
	const parts = addressParts(node, field, value, itemIndex);
	const addresses: string[] = [];
	for (const part of parts) {
		if (hasControlCharacter(part)) {
			throw new NodeOperationError(
				node,
				`${field}: ${JSON.stringify(part)} may not contain line breaks or control characters (found ${firstControlCharacter(part)})`,
				{
					itemIndex,
					description:
						'A CR, LF or NUL in an address or display name would start a new mail header (header injection). Remove it.',
				},
			);
		}
		const address = normalizeAddress(part);
		if (!address) {
			throw new NodeOperationError(node, `${field}: "${part}" is not a valid email address`, {
				itemIndex,
				description: 'Use user@example.com or Name <user@example.com>, separated by commas.',
			});
		}
		addresses.push(address);
	}
	if (required && addresses.length === 0) {
		throw new NodeOperationError(node, `${field} needs at least one email address`, { itemIndex });
	}
	return addresses;
}

/** The entries of an address field: text split outside quotes and angle brackets, or a list of texts. */
function addressParts(node: INode, field: string, value: unknown, itemIndex: number): string[] {
	const refuse = (what: unknown) =>
		new NodeOperationError(node, `${field}: expected email addresses as text, got ${describeType(what)}`, {
			itemIndex,
			description: `"${field}" takes addresses separated by commas, or a list of address strings.`,
		});
	if (value === undefined || value === '') return [];
	if (Array.isArray(value)) {
		return value.flatMap((entry) => {
			if (typeof entry !== 'string') throw refuse(entry);
			return splitOutsideQuotes(entry);
		});
	}
	if (typeof value !== 'string') throw refuse(value);
	// A display name may hold a comma ("Doe, Jane <j@x.com>"): split on commas
	// only outside angle brackets and quotes.
	return splitOutsideQuotes(value);
}

function splitOutsideQuotes(text: string): string[] {
	const parts: string[] = [];
	let current = '';
	let inQuotes = false;
	let inAngle = false;
	for (const char of text) {
		if (char === '"') inQuotes = !inQuotes;
		else if (char === '<' && !inQuotes) inAngle = true;
		else if (char === '>' && !inQuotes) inAngle = false;
		if ((char === ',' || char === ';' || char === '\n') && !inQuotes && !inAngle) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	parts.push(current);
	return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

/** AgentMail accepts at most 50 recipients across to, cc and bcc (AGENTMAIL_API.md §3.2). */
export const MAX_RECIPIENTS = 50;

export function assertRecipientLimit(node: INode, itemIndex: number, ...lists: string[][]): void {
	const total = lists.reduce((sum, list) => sum + list.length, 0);
	if (total > MAX_RECIPIENTS) {
		throw new NodeOperationError(
			node,
			`Too many recipients: ${total} across To, CC and BCC (AgentMail allows at most ${MAX_RECIPIENTS})`,
			{ itemIndex, description: 'Split the recipients over several messages.' },
		);
	}
}
