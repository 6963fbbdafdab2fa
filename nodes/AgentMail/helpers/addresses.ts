import { NodeOperationError, type INode } from 'n8n-workflow';

// Practical address check: local@domain.tld, no spaces, one @. AgentMail
// does the strict RFC validation; this catches what an agent gets wrong.
const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
// `Name <a@b.c>` or `"Name, with <anything>" <a@b.c>` (a quoted name may hold any character).
const NAMED = /^\s*(?:"(?:[^"\\]|\\.)*"|[^"<>]*?)\s*<([^<>\s]+)>\s*$/;
const DOMAIN = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$/;

export function isEmail(value: string): boolean {
	return EMAIL.test(value);
}

export function isDomain(value: string): boolean {
	return DOMAIN.test(value) && /[A-Za-z]/.test(value.split('.').pop() ?? '');
}

/** The bare address of `user@x.com` or `Name <user@x.com>`, or undefined when it is neither. */
export function bareAddress(value: string): string | undefined {
	const trimmed = value.trim();
	if (isEmail(trimmed)) return trimmed;
	const named = NAMED.exec(trimmed);
	return named && isEmail(named[1]) ? named[1] : undefined;
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
 * each checked; a bad one fails the item naming the field.
 */
export function parseAddresses(
	node: INode,
	field: string,
	value: unknown,
	itemIndex: number,
	{ required = false }: { required?: boolean } = {},
): string[] {
	// A display name may hold a comma ("Doe, Jane <j@x.com>"): split on commas
	// only outside angle brackets and quotes.
	const parts = Array.isArray(value)
		? splitList(value)
		: splitOutsideQuotes(String(value ?? ''));
	for (const part of parts) {
		if (!bareAddress(part)) {
			throw new NodeOperationError(node, `${field}: "${part}" is not a valid email address`, {
				itemIndex,
				description: 'Use user@example.com or Name <user@example.com>, separated by commas.',
			});
		}
	}
	if (required && parts.length === 0) {
		throw new NodeOperationError(node, `${field} needs at least one email address`, { itemIndex });
	}
	return parts;
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
