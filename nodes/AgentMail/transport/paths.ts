import { NodeOperationError, type INode } from 'n8n-workflow';

/** An id that passed validId(): safe to place in a URL path once encoded. */
export type ValidId = string & { readonly __validId: unique symbol };

/** The fixed words of AgentMail paths used by this package. */
export type PathWord =
	| 'inboxes'
	| 'drafts'
	| 'send'
	| 'messages'
	| 'reply'
	| 'reply-all'
	| 'lists'
	| 'receive'
	| 'allow'
	| 'block'
	| 'webhooks';

/**
 * Validates one id that goes into a URL path.
 *
 * AI agents fill these fields, so anything that could change which resource
 * the path names is refused rather than encoded: empty values, `.` and `..`,
 * slashes and backslashes, control characters. Inbox ids are email addresses
 * and message ids look like `<abc@host>`; both are fine once encoded.
 */
export function validId(node: INode, field: string, value: unknown, itemIndex?: number): ValidId {
	const raw = typeof value === 'number' ? String(value) : value;
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new NodeOperationError(node, `${field} is required`, {
			itemIndex,
			description: `Set "${field}" to a non-empty value.`,
		});
	}
	const id = raw.trim();
	const problem = idProblem(id);
	if (problem) {
		throw new NodeOperationError(node, `${field} is not a valid id: ${problem}`, {
			itemIndex,
			description: `Received ${JSON.stringify(id.slice(0, 200))}.`,
		});
	}
	return id as ValidId;
}

function idProblem(id: string): string | undefined {
	if (id === '.' || id === '..') return 'it may not be "." or ".."';
	if (/[/\\]/.test(id)) return 'it may not contain "/" or "\\"';
	if (/[\u0000-\u001f\u007f]/.test(id)) return 'it may not contain control characters';
	if (id.length > 512) return 'it is longer than 512 characters';
	return undefined;
}

/** `/v0/...` with every segment percent-encoded; ids must come from validId(). */
export function apiPath(...segments: Array<PathWord | ValidId>): string {
	return `/v0/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}
