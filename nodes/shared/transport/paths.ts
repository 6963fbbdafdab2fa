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
	| 'forward'
	| 'draft-reply'
	| 'draft-reply-all'
	| 'draft-forward'
	| 'attachments'
	| 'threads'
	| 'lists'
	| 'receive'
	| 'allow'
	| 'block'
	| 'webhooks';

/**
 * Validates one id that goes into a URL path.
 *
 * apiPath() percent-encodes every segment as encodeURIComponent does (what
 * the official `agentmail` SDK's encodePathParam does), so `/`, `\`, `?`,
 * `#`, `+` and `=` cannot change which resource the path names: `%2F` is not
 * a separator. RFC 5322 Message-IDs may hold any atext character, `/`
 * included, and AgentMail's draft and message ids follow the mail systems
 * that minted them, so those characters are accepted. Refused is only what
 * encoding cannot neutralise: empty values, `.` and `..` (left as they are by
 * encodeURIComponent, so a URL parser would resolve them), control
 * characters and more than 512 characters.
 */
export function validId(node: INode, field: string, value: unknown, itemIndex?: number): ValidId {
	const raw = typeof value === 'number' ? String(value) : value;
	if (raw !== undefined && raw !== null && raw !== '' && typeof raw !== 'string') {
		throw new NodeOperationError(node, `${field}: expected an id as text, got ${Array.isArray(raw) ? 'an array' : `a ${typeof raw}`}`, {
			itemIndex,
			description: `If "${field}" is set by an expression, point it at the id itself (for example {{ $json.draft_id }}).`,
		});
	}
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
	if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(id)) return 'it may not contain control characters';
	if (id.length > 512) return 'it is longer than 512 characters';
	return undefined;
}

/** `/v0/...` with every segment percent-encoded; ids must come from validId(). */
export function apiPath(...segments: Array<PathWord | ValidId>): string {
	return `/v0/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
}
