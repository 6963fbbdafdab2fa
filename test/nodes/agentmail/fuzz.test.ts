/**
 * Generated bad input across every AgentMail node operation and field
 * (issue 8, "Done when"): ids, addresses, display names, header injection,
 * dates, wrong types by expression. Deterministic (seeded PRNG). For every
 * input: refused before any request (the sandbox request log stays empty),
 * the error names the field and the item, and nothing the node outputs or
 * throws contains the API key.
 *
 * Each (operation, field) group runs as one workflow with one item per bad
 * value and On Error -> Continue (using error output), so every item fails
 * on its own and carries its own error. The totals are printed and written
 * to test-artifacts/fuzz-summary.json (git-ignored).
 *
 * A second part runs creates and sends against after-processing faults
 * with Retry On Fail and counts lost and duplicated drafts/messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IDataObject, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { REPO_ROOT, useNodeEnv, type NodeEnv } from '../setup';
import { am, byId, inboxPath, runWith } from './helpers';

const getEnv = useNodeEnv();

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = prng(0x8a11);
const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];

const CONTROLS = ['\r', '\n', '\r\n', '\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029'];
const HEADER_CONTROLS = CONTROLS; // no tab: a tab is allowed in header values
// a line break separates labels ("a\nb" is the two labels a and b), so inside one label only the others
const LABEL_CONTROLS = CONTROLS.filter((c) => !c.includes('\n'));

/** `text` with a control character inserted at a random position (not at the ends, where trim() would eat whitespace). */
function inject(text: string, controls = CONTROLS): string {
	const at = 1 + Math.floor(random() * Math.max(1, text.length - 1));
	return text.slice(0, at) + pick(controls) + text.slice(at);
}

// (an object with a `toString` key is left out: n8n's expression isolate refuses it itself, before the node runs)
const WRONG_TYPES: unknown[] = [{ a: 1 }, { nested: { deep: [1] } }, ['a', { b: 2 }], null, [{}], { email: 'a@example.com' }];

type Kind = 'id' | 'address' | 'requiredAddress' | 'header' | 'body' | 'labels' | 'date' | 'filterDate' | 'boolean' | 'limit' | 'entry' | 'headerName' | 'clientId' | 'username' | 'idList';

function badValues(kind: Kind, count: number): unknown[] {
	const fixed: Record<Kind, unknown[]> = {
		id: ['.', '..', ' .. ', 'x'.repeat(513), 'drf\r\nHost: evil', '<a\u0000@b>', '\u2028', { id: 'drf_1' }, ['drf_1'], true],
		address: [
			'Evil\rBcc: x@evil.test <a@example.com>',
			'"Evil\r\nBcc: x@evil.test" <a@example.com>',
			'"Evil\nX: 1" <a@example.com>',
			'a@example.com\u0000',
			'a@example..com',
			'a@-example.com',
			'a@example-.com',
			'a..b@example.com',
			'.a@example.com',
			'a.@example.com',
			'a@example.com.',
			'a@.example.com',
			'a@example.123',
			'a@exa_mple.com',
			'no-at-sign',
			'@example.com',
			'a b@example.com',
			'Jane <jane@example>',
			'"unterminated <jane@example.com>',
			'a@bü★cher.de',
			'jürgen@example.com',
			...WRONG_TYPES.filter((v) => v !== null),
			12345,
		],
		requiredAddress: [],
		header: ['Hi\r\nBcc: x@evil.test', 'a\nb', 'nul\u0000', '\u2028', 'esc\u001b[0m', ...WRONG_TYPES],
		body: [...WRONG_TYPES],
		labels: [{ a: 1 }, null, ['ok', { b: 1 }], ['ok', null], 'ok, bad\u0000label', 'bad\rlabel', 'x'.repeat(300), [['nested', { c: 1 }]]],
		date: ['soon', 'next tuesday', '2099-02-30T10:00', '2099-13-01T00:00', '2099-06-01T25:00', '2001-01-01T00:00:00Z', '2099-03-08T02:30', '2099-11-01T01:30', { at: 1 }, [], '2099-06-01T10:61'],
		filterDate: ['yesterday', '2099-02-30', '2099-13-45', '2099-03-08T02:30', '2099-11-01T01:30', { at: 1 }, 'soon'],
		boolean: ['yes', 'no', 'on', 'off', 2, -1, 'truthy', {}, [], 'ja', null, '10'],
		limit: [0, -5, 101, 1000, 2.5, 'ten', '', {}, [], null, '1e2', true],
		entry: ['a..b@example.com', 'example..com', '-x.com', 'x-.com', 'http://x.com', 'a@b', 'localhost', '..', 'evil/../x@example.com', 'example.com/../lists', { a: 1 }, 'a@x.123'],
		headerName: ['X-A\rBcc', 'X A', 'X:A', '', 'Ü-Header', { a: 1 }],
		clientId: ['order 1', 'a@b', 'x'.repeat(257), 'ü', 'a/b', { a: 1 }],
		username: ['a b', 'a@b', '-x', 'x-', '.x', 'x.', 'a..b', 'jürgen', 'x'.repeat(65), 'a/b', 'a\r\nb', { a: 1 }, ['x']],
		idList: ['..', 'att_1, ..', 'att\r\nx', 'att_1\u0000', 'x'.repeat(513), { id: 'att_1' }, [{}], ['att_1', { b: 1 }], true, '\u2028'],
	};
	const base = kind === 'requiredAddress' ? ['', ' , ', ...fixed.address] : fixed[kind];
	const out = [...base];
	// seeded mutations of valid values
	const mutate: Partial<Record<Kind, () => unknown>> = {
		id: () => inject(pick(['drf_1', '<m@agentmail.to>', 'agent@agentmail.to', 'drf_a/b+c=d?e'])),
		address: () => inject(pick(['Jane <jane@example.com>', '"Doe, Jane" <jane@example.com>', 'jane@example.com'])),
		requiredAddress: () => inject(pick(['Jane <jane@example.com>', '"Doe, Jane" <jane@example.com>'])),
		header: () => inject(pick(['Your order', 'Re: refund', 'Ticket 42']), HEADER_CONTROLS),
		labels: () => inject(pick(['vip', 'needs-review', 'escalated']), LABEL_CONTROLS),
		entry: () => inject(pick(['spam.example', 'bob@example.com'])),
		date: () => `2099-${pick(['02-30', '04-31', '13-01', '00-10'])}T10:00`,
		boolean: () => pick(['y', 'n', 'True!', 'nope', 3, 0.5]),
		limit: () => pick([0, 101, 150, -1, 7.5, 'many']),
	};
	while (out.length < count && mutate[kind]) out.push(mutate[kind]!());
	return out.slice(0, Math.max(count, base.length));
}

interface Group {
	operation: string;
	field: string;
	/** What the error message starts with. */
	label: RegExp;
	kind: Kind;
	/** Node parameters with the fuzzed field set to `={{ $json.v }}`. */
	params: (env: NodeEnv) => INodeParameters;
}

const V = '={{ $json.v }}';
const INBOX = (env: NodeEnv) => byId(env.inbox);
const draft = (operation: string, env: NodeEnv, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'draft',
	operation,
	inboxId: INBOX(env),
	draftId: byId('drf_1'),
	...extra,
});
const message = (operation: string, env: NodeEnv, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation,
	inboxId: INBOX(env),
	messageId: '<m@agentmail.to>',
	to: 'customer@example.com',
	subject: 'Hello',
	text: 'Body',
	...extra,
});
const list = (resource: string, operation: string, env: NodeEnv, extra: INodeParameters = {}): INodeParameters => ({
	resource,
	operation,
	inboxId: INBOX(env),
	returnAll: false,
	limit: 10,
	...extra,
});
const allow = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'allowlist',
	operation,
	scope: 'organization',
	direction: 'send',
	listType: 'block',
	entry: 'spam.example',
	returnAll: false,
	limit: 10,
	...extra,
});
const create = (env: NodeEnv, extra: INodeParameters = {}, fields: INodeParameters = {}) =>
	draft('create', env, { to: 'customer@example.com', subject: 'Hello', text: 'Body', ...extra, additionalFields: fields });

const groups: Group[] = [
	// Draft: create
	{ operation: 'draft.create', field: 'Inbox', label: /^Inbox/, kind: 'id', params: (env) => create(env, { inboxId: byId(V) }) },
	{ operation: 'draft.create', field: 'To', label: /^To/, kind: 'address', params: (env) => create(env, { to: V }) },
	{ operation: 'draft.create', field: 'Subject', label: /^Subject/, kind: 'header', params: (env) => create(env, { subject: V }) },
	{ operation: 'draft.create', field: 'Text', label: /^Text/, kind: 'body', params: (env) => create(env, { text: V }) },
	{ operation: 'draft.create', field: 'CC', label: /^CC/, kind: 'address', params: (env) => create(env, {}, { cc: V }) },
	{ operation: 'draft.create', field: 'BCC', label: /^BCC/, kind: 'address', params: (env) => create(env, {}, { bcc: V }) },
	{ operation: 'draft.create', field: 'Reply To', label: /^Reply To/, kind: 'address', params: (env) => create(env, {}, { replyTo: V }) },
	{ operation: 'draft.create', field: 'HTML', label: /^HTML/, kind: 'body', params: (env) => create(env, {}, { html: V }) },
	{ operation: 'draft.create', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => create(env, {}, { labels: V }) },
	{ operation: 'draft.create', field: 'Client ID', label: /^Client ID/, kind: 'clientId', params: (env) => create(env, {}, { clientId: V }) },
	{ operation: 'draft.create', field: 'In Reply To', label: /^In Reply To/, kind: 'header', params: (env) => create(env, { to: '' }, { inReplyTo: V }) },
	{ operation: 'draft.create', field: 'Send At', label: /^Send At/, kind: 'date', params: (env) => create(env, {}, { sendAt: V }) },
	// Draft: get / delete / send
	{ operation: 'draft.get', field: 'Draft', label: /^Draft/, kind: 'id', params: (env) => draft('get', env, { draftId: byId(V) }) },
	{ operation: 'draft.get', field: 'Inbox', label: /^Inbox/, kind: 'id', params: (env) => draft('get', env, { inboxId: byId(V) }) },
	{ operation: 'draft.delete', field: 'Draft', label: /^Draft/, kind: 'id', params: (env) => draft('delete', env, { draftId: byId(V) }) },
	{ operation: 'draft.send', field: 'Draft', label: /^Draft/, kind: 'id', params: (env) => draft('send', env, { draftId: byId(V) }) },
	{ operation: 'draft.send', field: 'Add Labels', label: /^Add Labels/, kind: 'labels', params: (env) => draft('send', env, { options: { addLabels: V } }) },
	{ operation: 'draft.send', field: 'Remove Labels', label: /^Remove Labels/, kind: 'labels', params: (env) => draft('send', env, { options: { removeLabels: V } }) },
	// Draft: update
	{ operation: 'draft.update', field: 'Draft', label: /^Draft/, kind: 'id', params: (env) => draft('update', env, { draftId: byId(V), updateFields: { subject: 'x' } }) },
	...(
		[
			['to', 'To', 'address'],
			['cc', 'CC', 'address'],
			['bcc', 'BCC', 'address'],
			['replyTo', 'Reply To', 'address'],
			['subject', 'Subject', 'header'],
			['text', 'Text', 'body'],
			['html', 'HTML', 'body'],
			['sendAt', 'Send At', 'date'],
			['addLabels', 'Add Labels', 'labels'],
			['removeLabels', 'Remove Labels', 'labels'],
		] as Array<[string, string, Kind]>
	).map(
		([name, field, kind]): Group => ({
			operation: 'draft.update',
			field,
			label: new RegExp(`^${field}`),
			kind,
			params: (env) => draft('update', env, { updateFields: { [name]: V } }),
		}),
	),
	// Draft: list / listOrg
	{ operation: 'draft.list', field: 'Limit', label: /^Limit/, kind: 'limit', params: (env) => list('draft', 'list', env, { limit: V }) },
	{ operation: 'draft.list', field: 'Return All', label: /^Return All/, kind: 'boolean', params: (env) => list('draft', 'list', env, { returnAll: V }) },
	{ operation: 'draft.list', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => list('draft', 'list', env, { filters: { labels: V } }) },
	{ operation: 'draft.list', field: 'Before', label: /^Before/, kind: 'filterDate', params: (env) => list('draft', 'list', env, { filters: { before: V } }) },
	{ operation: 'draft.list', field: 'Ascending', label: /^Ascending/, kind: 'boolean', params: (env) => list('draft', 'list', env, { filters: { ascending: V } }) },
	{ operation: 'draft.list', field: 'Inbox', label: /^Inbox/, kind: 'id', params: (env) => list('draft', 'list', env, { inboxId: byId(V) }) },
	{ operation: 'draft.listOrg', field: 'Limit', label: /^Limit/, kind: 'limit', params: (env) => list('draft', 'listOrg', env, { limit: V }) },
	{ operation: 'draft.listOrg', field: 'After', label: /^After/, kind: 'filterDate', params: (env) => list('draft', 'listOrg', env, { filters: { after: V } }) },
	{ operation: 'draft.listOrg', field: 'Output a Single Item', label: /^Output a Single Item/, kind: 'boolean', params: (env) => list('draft', 'listOrg', env, { options: { singleItem: V } }) },
	// Message: send
	{ operation: 'message.send', field: 'To', label: /^To/, kind: 'requiredAddress', params: (env) => message('send', env, { to: V }) },
	{ operation: 'message.send', field: 'Subject', label: /^Subject/, kind: 'header', params: (env) => message('send', env, { subject: V }) },
	{ operation: 'message.send', field: 'Text', label: /^Text/, kind: 'body', params: (env) => message('send', env, { text: V }) },
	{ operation: 'message.send', field: 'CC', label: /^CC/, kind: 'address', params: (env) => message('send', env, { additionalFields: { cc: V } }) },
	{ operation: 'message.send', field: 'BCC', label: /^BCC/, kind: 'address', params: (env) => message('send', env, { additionalFields: { bcc: V } }) },
	{ operation: 'message.send', field: 'Reply To', label: /^Reply To/, kind: 'address', params: (env) => message('send', env, { additionalFields: { replyTo: V } }) },
	{ operation: 'message.send', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => message('send', env, { additionalFields: { labels: V } }) },
	{ operation: 'message.send', field: 'HTML', label: /^HTML/, kind: 'body', params: (env) => message('send', env, { text: '', additionalFields: { html: V } }) },
	{ operation: 'message.send', field: 'Headers (value)', label: /^Headers/, kind: 'header', params: (env) => message('send', env, { additionalFields: { headers: { header: [{ name: 'X-Ticket', value: V }] } } }) },
	{ operation: 'message.send', field: 'Headers (name)', label: /^Headers/, kind: 'headerName', params: (env) => message('send', env, { additionalFields: { headers: { header: [{ name: V, value: '1' }] } } }) },
	{ operation: 'message.send', field: 'Inbox', label: /^Inbox/, kind: 'id', params: (env) => message('send', env, { inboxId: byId(V) }) },
	// Message: get / list / reply / label
	{ operation: 'message.get', field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message('get', env, { messageId: V }) },
	{ operation: 'message.list', field: 'Limit', label: /^Limit/, kind: 'limit', params: (env) => list('message', 'list', env, { limit: V }) },
	{ operation: 'message.list', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => list('message', 'list', env, { filters: { labels: V } }) },
	{ operation: 'message.list', field: 'Before', label: /^Before/, kind: 'filterDate', params: (env) => list('message', 'list', env, { filters: { before: V } }) },
	{ operation: 'message.reply', field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message('reply', env, { messageId: V }) },
	{ operation: 'message.reply', field: 'Reply All', label: /^Reply All/, kind: 'boolean', params: (env) => message('reply', env, { replyAll: V }) },
	{ operation: 'message.reply', field: 'Text', label: /^Text/, kind: 'body', params: (env) => message('reply', env, { text: V }) },
	{ operation: 'message.reply', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => message('reply', env, { additionalFields: { labels: V } }) },
	{ operation: 'message.label', field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message('label', env, { messageId: V, addLabels: 'a' }) },
	{ operation: 'message.label', field: 'Labels to Add', label: /^Labels to Add/, kind: 'labels', params: (env) => message('label', env, { addLabels: V }) },
	{ operation: 'message.label', field: 'Labels to Remove', label: /^Labels to Remove/, kind: 'labels', params: (env) => message('label', env, { removeLabels: V }) },
	// Message: forward / get attachment
	{ operation: 'message.forward', field: 'To', label: /^To/, kind: 'requiredAddress', params: (env) => message('forward', env, { to: V }) },
	{ operation: 'message.forward', field: 'Subject', label: /^Subject/, kind: 'header', params: (env) => message('forward', env, { subject: V }) },
	{ operation: 'message.forward', field: 'CC', label: /^CC/, kind: 'address', params: (env) => message('forward', env, { additionalFields: { cc: V } }) },
	{ operation: 'message.forward', field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message('forward', env, { messageId: V }) },
	{ operation: 'message.forward', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => message('forward', env, { additionalFields: { labels: V } }) },
	{ operation: 'message.getAttachment', field: 'Attachment ID', label: /^Attachment ID/, kind: 'id', params: (env) => message('getAttachment', env, { attachmentId: V }) },
	{ operation: 'message.getAttachment', field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message('getAttachment', env, { messageId: V, attachmentId: 'att_1' }) },
	{ operation: 'message.get', field: 'Download Attachments', label: /^Download Attachments/, kind: 'boolean', params: (env) => message('get', env, { options: { downloadAttachments: V } }) },
	// Draft: from a message / get attachment / update attachments
	...(['createReply', 'createReplyAll', 'createForward'] as const).flatMap((operation): Group[] => [
		{ operation: `draft.${operation}`, field: 'Message ID', label: /^Message ID/, kind: 'id', params: (env) => message(operation, env, { resource: 'draft', messageId: V }) },
		{ operation: `draft.${operation}`, field: 'Reply To', label: /^Reply To/, kind: 'address', params: (env) => message(operation, env, { resource: 'draft', additionalFields: { replyTo: V } }) },
		{ operation: `draft.${operation}`, field: 'Send At', label: /^Send At/, kind: 'date', params: (env) => message(operation, env, { resource: 'draft', additionalFields: { sendAt: V } }) },
		{ operation: `draft.${operation}`, field: 'Client ID', label: /^Client ID/, kind: 'clientId', params: (env) => message(operation, env, { resource: 'draft', additionalFields: { clientId: V } }) },
		{ operation: `draft.${operation}`, field: 'Text', label: /^Text/, kind: 'body', params: (env) => message(operation, env, { resource: 'draft', text: V }) },
	]),
	{ operation: 'draft.createReply', field: 'To', label: /^To/, kind: 'address', params: (env) => message('createReply', env, { resource: 'draft', additionalFields: { to: V } }) },
	{ operation: 'draft.createForward', field: 'To', label: /^To/, kind: 'address', params: (env) => message('createForward', env, { resource: 'draft', to: V }) },
	{ operation: 'draft.createForward', field: 'Subject', label: /^Subject/, kind: 'header', params: (env) => message('createForward', env, { resource: 'draft', subject: V }) },
	{ operation: 'draft.getAttachment', field: 'Attachment ID', label: /^Attachment ID/, kind: 'id', params: (env) => draft('getAttachment', env, { attachmentId: V }) },
	{ operation: 'draft.getAttachment', field: 'Draft', label: /^Draft/, kind: 'id', params: (env) => draft('getAttachment', env, { draftId: byId(V), attachmentId: 'att_1' }) },
	{ operation: 'draft.update', field: 'Remove Attachments', label: /^Remove Attachments/, kind: 'idList', params: (env) => draft('update', env, { updateFields: { removeAttachments: V } }) },
	// Thread
	{ operation: 'thread.list', field: 'Limit', label: /^Limit/, kind: 'limit', params: (env) => list('thread', 'list', env, { limit: V }) },
	{ operation: 'thread.list', field: 'Labels', label: /^Labels/, kind: 'labels', params: (env) => list('thread', 'list', env, { filters: { labels: V } }) },
	{ operation: 'thread.list', field: 'After', label: /^After/, kind: 'filterDate', params: (env) => list('thread', 'list', env, { scope: 'organization', filters: { after: V } }) },
	{ operation: 'thread.list', field: 'Inbox', label: /^Inbox/, kind: 'id', params: (env) => list('thread', 'list', env, { inboxId: byId(V) }) },
	{ operation: 'thread.get', field: 'Thread', label: /^Thread/, kind: 'id', params: (env) => ({ resource: 'thread', operation: 'get', inboxId: INBOX(env), threadId: byId(V) }) },
	{ operation: 'thread.get', field: 'Inbox', label: /^Inbox/, kind: 'id', params: () => ({ resource: 'thread', operation: 'get', inboxId: byId(V), threadId: byId('thd_1') }) },
	{ operation: 'thread.updateLabels', field: 'Labels to Add', label: /^Labels to Add/, kind: 'labels', params: (env) => ({ resource: 'thread', operation: 'updateLabels', inboxId: INBOX(env), threadId: byId('thd_1'), addLabels: V }) },
	{ operation: 'thread.updateLabels', field: 'Thread', label: /^Thread/, kind: 'id', params: (env) => ({ resource: 'thread', operation: 'updateLabels', inboxId: INBOX(env), threadId: byId(V), addLabels: 'a' }) },
	{ operation: 'thread.delete', field: 'Thread', label: /^Thread/, kind: 'id', params: (env) => ({ resource: 'thread', operation: 'delete', inboxId: INBOX(env), threadId: byId(V) }) },
	// Inbox
	{ operation: 'inbox.create', field: 'Display Name', label: /^Display Name/, kind: 'header', params: () => ({ resource: 'inbox', operation: 'create', displayName: V }) },
	{ operation: 'inbox.create', field: 'Username', label: /^Username/, kind: 'username', params: () => ({ resource: 'inbox', operation: 'create', username: V }) },
	{ operation: 'inbox.create', field: 'Domain', label: /^Domain/, kind: 'address', params: () => ({ resource: 'inbox', operation: 'create', domain: V }) },
	{ operation: 'inbox.create', field: 'Client ID', label: /^Client ID/, kind: 'clientId', params: () => ({ resource: 'inbox', operation: 'create', additionalFields: { clientId: V } }) },
	{ operation: 'inbox.get', field: 'Inbox', label: /^Inbox/, kind: 'id', params: () => ({ resource: 'inbox', operation: 'get', inboxId: byId(V) }) },
	{ operation: 'inbox.list', field: 'Limit', label: /^Limit/, kind: 'limit', params: () => ({ resource: 'inbox', operation: 'list', returnAll: false, limit: V }) },
	{ operation: 'inbox.update', field: 'Display Name', label: /^Display Name/, kind: 'header', params: (env) => ({ resource: 'inbox', operation: 'update', inboxId: INBOX(env), displayName: V }) },
	{ operation: 'inbox.delete', field: 'Inbox', label: /^Inbox/, kind: 'id', params: () => ({ resource: 'inbox', operation: 'delete', inboxId: byId(V) }) },
	// Allowlist
	{ operation: 'allowlist.add', field: 'Entry', label: /^Entry/, kind: 'entry', params: () => allow('add', { entry: V }) },
	{ operation: 'allowlist.add', field: 'Reason', label: /^Reason/, kind: 'body', params: () => allow('add', { reason: V }) },
	{ operation: 'allowlist.add', field: 'Inbox', label: /^Inbox/, kind: 'id', params: () => allow('add', { scope: 'inbox', inboxId: byId(V) }) },
	{ operation: 'allowlist.get', field: 'Entry', label: /^Entry/, kind: 'entry', params: () => allow('get', { entry: V }) },
	{ operation: 'allowlist.remove', field: 'Entry', label: /^Entry/, kind: 'entry', params: () => allow('remove', { entry: V }) },
	{ operation: 'allowlist.list', field: 'Limit', label: /^Limit/, kind: 'limit', params: () => allow('list', { limit: V }) },
	{ operation: 'allowlist.list', field: 'Inbox', label: /^Inbox/, kind: 'id', params: () => allow('list', { scope: 'inbox', inboxId: byId(V) }) },
];

const totals = { inputs: 0, refusedLocally: 0, reachedApi: 0, errorsNamingField: 0, errorsNamingItem: 0, keyLeaks: 0, groups: 0, operations: new Set<string>() };
const misses: string[] = [];

type FailedItem = INodeExecutionData & { error?: { message: string; context?: IDataObject; name?: string } };

describe('fuzz: bad input never reaches AgentMail', () => {
	it.each(groups.map((group) => [`${group.operation} ${group.field} (${group.kind})`, group] as const))('%s', async (_name, group) => {
		const env = getEnv();
		const values = badValues(group.kind, 10);
		const items = values.map((v) => ({ v }) as IDataObject);
		const run = await runWith(env, [am('Node', group.params(env), { onError: 'continueErrorOutput' } as Partial<INode>)], {
			settings: { executionOrder: 'v1', timezone: 'America/New_York' },
			startItems: items.map((json) => ({ json })),
		});
		const logged = await env.requests();
		totals.groups += 1;
		totals.operations.add(group.operation);
		totals.inputs += items.length;
		totals.reachedApi += logged.length;
		const failed = run.output('Node', 1) as FailedItem[];
		const passed = run.output('Node', 0);
		for (const item of failed) {
			const index = (item.pairedItem as { item: number }).item;
			const message = item.error?.message ?? String(item.json.error);
			if (group.label.test(message)) totals.errorsNamingField += 1;
			else misses.push(`${group.operation} ${group.field} item ${index} ${JSON.stringify(values[index])}: ${message}`);
			if (item.error?.context?.itemIndex === index) totals.errorsNamingItem += 1;
			if (item.error?.name === 'NodeOperationError') totals.refusedLocally += 1;
		}
		const everything = JSON.stringify({ runData: run.runData, error: run.error, failed: failed.map((f) => f.error) });
		if (everything.includes(env.sandbox.apiKey)) totals.keyLeaks += 1;

		// every input was refused locally, naming the field and the item, and nothing reached AgentMail
		expect({ passed: passed.map((p) => [p.pairedItem, p.json]), logged: logged.map((r) => [r.method, r.path, r.body]) }).toEqual({ passed: [], logged: [] });
		expect(failed).toHaveLength(items.length);
		for (const item of failed) {
			const index = (item.pairedItem as { item: number }).item;
			expect(item.error?.name).toBe('NodeOperationError');
			expect(item.error?.context?.itemIndex).toBe(index);
			expect(item.error?.message).toMatch(group.label);
		}
		expect(everything).not.toContain(env.sandbox.apiKey);
	});

	afterAll(() => {
		const summary = {
			seed: '0x8a11',
			inputs: totals.inputs,
			refused_locally: totals.refusedLocally,
			reached_api: totals.reachedApi,
			errors_naming_field: totals.errorsNamingField,
			errors_naming_item: totals.errorsNamingItem,
			api_key_in_output_or_error: totals.keyLeaks,
			groups: totals.groups,
			operations: [...totals.operations].sort(),
			misses,
		};
		// eslint-disable-next-line no-console
		console.log(`fuzz summary: ${JSON.stringify(summary, null, 2)}`);
		const dir = path.join(REPO_ROOT, 'test-artifacts');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'fuzz-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
	});

	it('covers at least 500 inputs and every operation of the node', () => {
		const count = groups.reduce((sum, group) => sum + badValues(group.kind, 10).length, 0);
		expect(count).toBeGreaterThanOrEqual(500);
		expect(new Set(groups.map((g) => g.operation))).toEqual(
			new Set([
				'draft.create', 'draft.get', 'draft.list', 'draft.update', 'draft.send', 'draft.delete', 'draft.listOrg',
				'draft.createReply', 'draft.createReplyAll', 'draft.createForward', 'draft.getAttachment',
				'message.send', 'message.get', 'message.list', 'message.reply', 'message.label', 'message.forward', 'message.getAttachment',
				'thread.list', 'thread.get', 'thread.updateLabels', 'thread.delete',
				'inbox.create', 'inbox.get', 'inbox.list', 'inbox.update', 'inbox.delete',
				'allowlist.add', 'allowlist.get', 'allowlist.list', 'allowlist.remove',
			]),
		);
	});
});

describe('fault runs: retried creates and sends against faults that strike after the work', () => {
	it('no draft or message is lost or duplicated', async () => {
		const env = getEnv();
		const faults = random; // same seeded stream, continued
		const result = { runs: 0, expected: 0, lost: 0, duplicated: 0, faults_injected: 0 };
		for (let runNo = 0; runNo < 8; runNo++) {
			await env.admin.post('/_sandbox/reset');
			await env.admin.delete('/_sandbox/faults');
			const isCreate = runNo % 2 === 0;
			const items = Array.from({ length: 1 + Math.floor(faults() * 3) }, (_, n) => ({ n }));
			const count = 1 + Math.floor(faults() * 4);
			const style = pick([{ status: 500, after: true }, { drop: true, after: true }, { status: 503 }, { status: 500, after: true }]);
			await env.fault({ method: 'POST', path: isCreate ? '/drafts' : '/messages/send', retry_after: 'status' in style ? 0 : undefined, count, ...style });
			result.faults_injected += count;
			const params: INodeParameters = isCreate
				? { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'a@example.com', subject: '={{ "d" + $json.n }}', additionalFields: { sendAt: '2099-06-01T09:00:00Z' } }
				: { resource: 'message', operation: 'send', inboxId: byId(env.inbox), to: 'a@example.com', subject: '={{ "m" + $json.n }}', text: 'x' };
			const run = await env.run([am('Node', params, { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 })], { items });
			expect(run.status).toBe('success');
			const subjects = isCreate
				? ((await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts as IDataObject[]).map((d) => d.subject)
				: (await env.outbox()).map((m) => m.subject);
			for (const { n } of items) {
				const copies = subjects.filter((subject) => subject === `${isCreate ? 'd' : 'm'}${n}`).length;
				if (copies === 0) result.lost += 1;
				if (copies > 1) result.duplicated += copies - 1;
			}
			result.runs += 1;
			result.expected += items.length;
		}
		// eslint-disable-next-line no-console
		console.log(`fault runs: ${JSON.stringify(result)}`);
		const file = path.join(REPO_ROOT, 'test-artifacts', 'fault-summary.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
		expect(result).toMatchObject({ lost: 0, duplicated: 0 });
	}, 180_000);
});
