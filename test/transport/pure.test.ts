/**
 * The transport's pure parts: path building, retry policy, credential base
 * URL, error mapping. (Its HTTP behaviour through n8n-core is covered by the
 * node tests in test/nodes.)
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { baseUrlFromCredentials } from '../../nodes/shared/transport/baseUrl';
import { agentMailApiError, failureOf, toNodeError } from '../../nodes/shared/transport/errors';
import { idempotencyKeyFor } from '../../nodes/shared/transport/idempotency';
import { apiPath, validId } from '../../nodes/shared/transport/paths';
import { isRetryableStatus, isSafeToRepeat, retryDelayMs } from '../../nodes/shared/transport/retry';

const node: INode = {
	id: 'n1',
	name: 'AgentMail',
	type: 'n8n-nodes-agentmail-hitl.agentMail',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('paths', () => {
	it('percent-encodes inbox and message ids as single segments', () => {
		const inbox = validId(node, 'Inbox', 'agent+ops@agentmail.to');
		const message = validId(node, 'Message ID', '<0100abc=def@email.amazonses.com>');
		expect(apiPath('inboxes', inbox, 'messages', message, 'reply')).toBe(
			'/v0/inboxes/agent%2Bops%40agentmail.to/messages/%3C0100abc%3Ddef%40email.amazonses.com%3E/reply',
		);
	});

	it.each([
		['..', /may not be "\." or "\.\."/],
		['.', /may not be "\." or "\.\."/],
		['..\u0085', /control characters/],
		['abc\r\nHost: evil', /control characters/],
		['', /is required/],
		['   ', /is required/],
		[undefined, /is required/],
		['x'.repeat(513), /longer than 512/],
	])('refuses %j', (value, message) => {
		expect(() => validId(node, 'Draft', value, 2)).toThrow(NodeOperationError);
		expect(() => validId(node, 'Draft', value, 2)).toThrow(message);
	});

	it('accepts "/", "\\", "?", "#", "+" and "=", each encoded so the id stays one segment', () => {
		const id = validId(node, 'Draft', '<a/b+c=d?e#f\\g@host>');
		expect(apiPath('drafts', id, 'send')).toBe('/v0/drafts/%3Ca%2Fb%2Bc%3Dd%3Fe%23f%5Cg%40host%3E/send');
		expect(apiPath('drafts', validId(node, 'Draft', 'abc/../../lists'))).toBe('/v0/drafts/abc%2F..%2F..%2Flists');
	});

	it('trims surrounding whitespace', () => {
		expect(validId(node, 'Draft', '  drf_1  ')).toBe('drf_1');
	});
});

describe('retry policy', () => {
	it('retries 408, 429 and 5xx only', () => {
		expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 403, 404, 409, 422, 501].some(isRetryableStatus)).toBe(false);
	});

	it('repeats a POST only when it is idempotent', () => {
		expect(isSafeToRepeat('POST', false)).toBe(false);
		expect(isSafeToRepeat('POST', true)).toBe(true);
		expect(['GET', 'PATCH', 'DELETE'].every((method) => isSafeToRepeat(method as 'GET', false))).toBe(true);
	});

	it('waits as long as Retry-After says (seconds or HTTP date), capped at 30 s, else backs off', () => {
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(retryDelayMs(0, '2')).toBe(2000);
		expect(retryDelayMs(0, ['1.5'])).toBe(1500);
		expect(retryDelayMs(0, 'Sun, 22 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(retryDelayMs(0, '3600')).toBe(30_000);
		expect(retryDelayMs(0, undefined)).toBe(500);
		expect(retryDelayMs(2, undefined)).toBe(2000);
	});
});

describe('credential base URL', () => {
	it('follows the region, or the custom URL without trailing slash or /v0', () => {
		expect(baseUrlFromCredentials({ region: 'us' })).toBe('https://api.agentmail.to');
		expect(baseUrlFromCredentials({ region: 'eu' })).toBe('https://api.agentmail.eu');
		expect(baseUrlFromCredentials({ region: 'custom', baseUrl: 'http://127.0.0.1:8026/v0/' })).toBe('http://127.0.0.1:8026');
		expect(() => baseUrlFromCredentials({ region: 'custom', baseUrl: 'not a url' })).toThrow(/Base URL/);
	});
});

describe('error mapping', () => {
	it('keeps AgentMail status, code, message and fix', () => {
		const error = agentMailApiError(node, 403, {
			name: 'MessageRejectedError',
			code: 'message_rejected',
			message: 'Recipient blocked.example is on the send block list',
			fix: 'DELETE /v0/lists/send/block/blocked.example',
		}, 1);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('403');
		expect(error.message).toBe('AgentMail 403 message_rejected: Recipient blocked.example is on the send block list');
		expect(error.description).toContain('DELETE /v0/lists/send/block/blocked.example');
		expect(failureOf(error)).toEqual({
			error: error.message,
			code: 'message_rejected',
			status: 403,
			fix: 'DELETE /v0/lists/send/block/blocked.example',
		});
	});

	it('describes validation issues when there is no message', () => {
		const error = agentMailApiError(node, 400, { name: 'ValidationError', errors: [{ path: ['to', 0], message: 'Invalid email' }] });
		expect(error.message).toBe('AgentMail 400 ValidationError: to.0: Invalid email');
	});

	it('hands node errors back unchanged and wraps anything else', () => {
		const operation = new NodeOperationError(node, 'bad input');
		expect(toNodeError(node, operation, 3)).toBe(operation);
		expect(operation.context.itemIndex).toBe(3);
		const api = agentMailApiError(node, 404, { code: 'not_found', message: 'Draft not found' });
		expect(toNodeError(node, api)).toBe(api);
		expect(toNodeError(node, new Error('boom'))).toBeInstanceOf(NodeOperationError);
	});
});

describe('idempotency keys', () => {
	it('are stable for the same parts, differ otherwise, and use only allowed characters', () => {
		const key = idempotencyKeyFor('message-send', 'wf', 'exec-1', 'node', '0', '2');
		expect(key).toBe(idempotencyKeyFor('message-send', 'wf', 'exec-1', 'node', '0', '2'));
		expect(key).not.toBe(idempotencyKeyFor('message-send', 'wf', 'exec-2', 'node', '0', '2'));
		expect(key).not.toBe(idempotencyKeyFor('message-send', 'wf', 'exec-1', 'node', '0', '3'));
		expect(key).toMatch(/^[A-Za-z0-9._~-]{1,256}$/);
	});
});
