import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Parameter values as they arrive from expressions: a string field may hold
 * an object, a boolean a string. Each reader here gives the type the API
 * needs or fails the item naming the field, before any request.
 */

// C0 controls (CR, LF, NUL, ...), DEL, C1 controls and the Unicode line and
// paragraph separators: any of them in a header could start a new header.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same but horizontal tab, which RFC 5322 allows in unstructured header
// fields (Subject, custom header values).
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlCharacter(text: string, { allowTab = false } = {}): boolean {
	return (allowTab ? CONTROL_BUT_TAB : CONTROL).test(text);
}

/** Which control character, as U+XXXX, for the error message. */
export function firstControlCharacter(text: string, { allowTab = false } = {}): string {
	const match = (allowTab ? CONTROL_BUT_TAB : CONTROL).exec(text);
	return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : '';
}

/** What a value is, in words, for "expected text, got ..." messages. */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (value instanceof Date) return 'a date object';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A string field: strings as they are, numbers and booleans as text,
 * undefined as ''. An object, array or null (typically an expression such as
 * `{{ $json }}`) is refused rather than sent as "[object Object]". With
 * `header`, the text goes into a mail header (Subject, a header value) and
 * may hold no line break or other control character (tab excepted).
 */
export function textValue(
	node: INode,
	field: string,
	value: unknown,
	itemIndex: number,
	{ header = false }: { header?: boolean } = {},
): string {
	if (value === undefined) return '';
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
		throw new NodeOperationError(node, `${field}: expected text, got ${describeType(value)}`, {
			itemIndex,
			description: `"${field}" takes text. If it is set by an expression, point it at a text value (for example {{ $json.subject }}), not at an object or a list.`,
		});
	}
	const text = String(value);
	if (header && hasControlCharacter(text, { allowTab: true })) {
		throw new NodeOperationError(
			node,
			`${field}: may not contain line breaks or control characters (found ${firstControlCharacter(text, { allowTab: true })})`,
			{
				itemIndex,
				description: `"${field}" goes into an email header, where a line break would start a new header (header injection). Remove CR, LF, NUL and other control characters.`,
			},
		);
	}
	return text;
}

/**
 * A boolean option as n8n's own boolean parameters read it
 * (n8n-workflow's tryToParseBoolean, used by validateFieldType): true/false,
 * "true"/"false" in any case, 0/1 and "0"/"1". Anything else, "yes" included
 * (n8n answers "Failed to parse value as boolean"), is refused.
 */
export function booleanValue(
	node: INode,
	field: string,
	value: unknown,
	itemIndex: number,
	fallback = false,
): boolean {
	if (value === undefined) return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true' || text === '1') return true;
		if (text === 'false' || text === '0') return false;
	}
	if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
	throw new NodeOperationError(
		node,
		`${field}: ${JSON.stringify(value) ?? String(value)} is not a boolean (use true or false)`,
		{ itemIndex, description: `"${field}" takes true or false (also "true"/"false", 1/0), as n8n's boolean parameters do.` },
	);
}

/** Limit: an integer from 1 to `max` (AgentMail's page size); numeric text is accepted. */
export function limitValue(node: INode, field: string, value: unknown, itemIndex: number, max = 100): number {
	const number =
		typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
	if (!Number.isInteger(number) || number < 1 || number > max) {
		throw new NodeOperationError(
			node,
			`${field}: ${JSON.stringify(value) ?? String(value)} is not a whole number from 1 to ${max}`,
			{ itemIndex, description: `Set "${field}" to a whole number from 1 to ${max}, or turn on Return All.` },
		);
	}
	return number;
}
