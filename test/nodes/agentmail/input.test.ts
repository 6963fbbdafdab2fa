/**
 * Input from builders, AI agents and expressions (issue 8, points 3, 5, 6):
 * header injection, wrong types by expression, booleans read as n8n reads
 * them, Limit, and addresses the API would refuse. Everything bad fails the
 * item naming the field before any request reaches AgentMail.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { node, useNodeEnv } from '../setup';
import { am, byId, createDraft, expectNoRequests, expectOperationError, inbound } from './helpers';

const getEnv = useNodeEnv();

type Case = [name: string, params: (inbox: string) => INodeParameters, message: RegExp];

const send = (inbox: string, extra: INodeParameters = {}, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation: 'send',
	inboxId: byId(inbox),
	to: 'customer@example.com',
	subject: 'Hello',
	text: 'Body',
	...extra,
	additionalFields: fields,
});
const create = (inbox: string, extra: INodeParameters = {}, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'draft',
	operation: 'create',
	inboxId: byId(inbox),
	to: 'customer@example.com',
	subject: 'Hello',
	text: 'Body',
	...extra,
	additionalFields: fields,
});
const update = (inbox: string, fields: INodeParameters): INodeParameters => ({
	resource: 'draft',
	operation: 'update',
	inboxId: byId(inbox),
	draftId: byId('drf_1'),
	updateFields: fields,
});

async function expectRefused(params: INodeParameters, message: RegExp, items?: IDataObject[]) {
	const env = getEnv();
	const run = await env.run([am('Node', params)], items ? { items } : undefined);
	const error = expectOperationError(run, 'Node', message);
	expect(error.context?.itemIndex).toBe(items ? items.length - 1 : 0);
	await expectNoRequests(env);
	return error;
}

describe('header injection (point 3): CR, LF, NUL and other control characters are refused', () => {
	const cases: Case[] = [
		['To: CR in a display name', (i) => send(i, { to: 'Evil\rBcc: x@evil.test <a@example.com>' }), /^To: .* may not contain line breaks or control characters \(found U\+000D\)$/],
		['To: CR LF in a quoted display name', (i) => send(i, { to: '"Evil\r\nBcc: x@evil.test" <a@example.com>' }), /^To: .* \(found U\+000D\)$/],
		['To: LF inside a quoted display name', (i) => send(i, { to: '"Evil\nBcc: x@evil.test" <a@example.com>' }), /^To: .* \(found U\+000A\)$/],
		['To: NUL after the address', (i) => send(i, { to: 'a@example.com\u0000' }), /^To: .* \(found U\+0000\)$/],
		['To: CR in a list element given by expression', (i) => send(i, { to: '={{ ["ok@example.com", "Evil\\rBcc: x@evil.test <a@example.com>"] }}' }), /^To: .* \(found U\+000D\)$/],
		['CC: CR in a display name', (i) => send(i, {}, { cc: 'Evil\rBcc: x@evil.test <a@example.com>' }), /^CC: .* \(found U\+000D\)$/],
		['BCC: vertical tab in a name', (i) => send(i, {}, { bcc: 'Evil\u000b <a@example.com>' }), /^BCC: .* \(found U\+000B\)$/],
		['Reply To: CR in a quoted name', (i) => send(i, {}, { replyTo: '"Support\rX-Evil: 1" <s@example.com>' }), /^Reply To: .* \(found U\+000D\)$/],
		['Subject: CR LF (send)', (i) => send(i, { subject: 'Hi\r\nBcc: x@evil.test' }), /^Subject: may not contain line breaks or control characters \(found U\+000D\)$/],
		['Subject: LF (create draft)', (i) => create(i, { subject: 'Hi\nBcc: x@evil.test' }), /^Subject: may not contain line breaks .*U\+000A/],
		['Subject: NUL (update draft)', (i) => update(i, { subject: 'Hi\u0000' }), /^Subject: may not contain line breaks .*U\+0000/],
		['Subject: U+2028 line separator', (i) => send(i, { subject: 'Hi\u2028Bcc: x@evil.test' }), /^Subject: .*U\+2028/],
		['Update To: CR in a display name', (i) => update(i, { to: 'Evil\rBcc: x@evil.test <a@example.com>' }), /^To: .*U\+000D/],
		['Header value: LF', (i) => send(i, {}, { headers: { header: [{ name: 'X-Ticket', value: '1\nBcc: x@evil.test' }] } }), /^Headers: "X-Ticket": may not contain line breaks .*U\+000A/],
		['Header name: CR', (i) => send(i, {}, { headers: { header: [{ name: 'X-A\rBcc', value: '1' }] } }), /^Headers: .*is not a valid header$/],
		['In Reply To: CR LF', (i) => create(i, { to: '' }, { inReplyTo: '<a@b.c>\r\nBcc: x@evil.test' }), /^In Reply To: may not contain line breaks/],
		['Labels: a NUL in a label', (i) => send(i, {}, { labels: 'ok, bad\u0000label' }), /^Labels: label .* may not contain control characters/],
	];

	it.each(cases)('%s', async (_name, params, message) => {
		await expectRefused(params(getEnv().inbox), message);
	});

	it('a tab in a subject or header value is allowed (RFC 5322 whitespace), and sent as is', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Node', send(env.inbox, { subject: 'Order\t42' }, { headers: { header: [{ name: 'X-Ticket', value: 'a\tb' }] } })),
		]);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(sent.subject).toBe('Order\t42');
	});

	it("Wait for Approval's Approvers go through the same check: a CR in a display name is refused before any request", async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['customer@example.com'], subject: 's', text: 't' });
		await env.clearRequests();
		const run = await env.run(
			[
				node('Approval', 'agentMailWaitForApproval', {
					inboxId: byId(env.inbox),
					draftId: byId('={{ $json.draft_id }}'),
					notification: 'email',
					approvers: 'ok@example.com, Ops\rBcc: x@evil.test <ops@example.com>',
					limitAmount: 1,
					limitUnit: 'hours',
					options: {},
				}),
			],
			{ items: [{ draft_id: draft.draft_id }] },
		);
		expectOperationError(run, 'Approval', /^Approvers: .* may not contain line breaks or control characters \(found U\+000D\)$/);
		await expectNoRequests(env);
	});
});

describe('values from expressions (point 5)', () => {
	async function replyRecipients(replyAll: unknown): Promise<IDataObject> {
		const env = getEnv();
		const original = await inbound(env, {
			from: 'customer@example.com',
			to: [env.inbox],
			cc: ['colleague@example.com'],
			subject: 'Question',
			text: 'Hi',
		});
		const run = await env.run([
			am('Reply', {
				resource: 'message',
				operation: 'reply',
				inboxId: byId(env.inbox),
				messageId: original.message_id as string,
				replyAll: `={{ ${JSON.stringify(replyAll)} }}`,
				text: 'Answer',
			}),
		]);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		return sent;
	}

	it.each([['"false"', 'false'], ['false', false], ['0', 0], ['"0"', '0'], ['"FALSE"', 'FALSE']])(
		'Reply All %s by expression replies to the sender only',
		async (_label, value) => {
			const sent = await replyRecipients(value);
			expect(sent.via).toBe('reply');
			expect(sent.cc ?? []).toEqual([]);
		},
	);

	it.each([['"true"', 'true'], ['1', 1], ['true', true]])('Reply All %s by expression replies to everyone', async (_label, value) => {
		const sent = await replyRecipients(value);
		expect(sent.via).toBe('reply-all');
	});

	const reply = (inbox: string, replyAll: string): INodeParameters => ({
		resource: 'message',
		operation: 'reply',
		inboxId: byId(inbox),
		messageId: '<m@agentmail.to>',
		replyAll,
		text: 'x',
	});
	const list = (inbox: string, extra: INodeParameters): INodeParameters => ({
		resource: 'draft',
		operation: 'list',
		inboxId: byId(inbox),
		returnAll: false,
		limit: 10,
		...extra,
	});

	const cases: Case[] = [
		['Reply All "yes" (n8n cannot read it as a boolean either)', (i) => reply(i, '={{ "yes" }}'), /^Reply All: "yes" is not a boolean \(use true or false\)$/],
		['Reply All 2', (i) => reply(i, '={{ 2 }}'), /^Reply All: 2 is not a boolean/],
		['Reply All an object', (i) => reply(i, '={{ { a: 1 } }}'), /^Reply All: \{"a":1\} is not a boolean/],
		['Subject an object', (i) => send(i, { subject: '={{ { a: 1 } }}' }), /^Subject: expected text, got an object$/],
		['Subject an array', (i) => send(i, { subject: '={{ ["a", "b"] }}' }), /^Subject: expected text, got an array$/],
		['Subject null', (i) => send(i, { subject: '={{ null }}' }), /^Subject: expected text, got null$/],
		['Text an object', (i) => send(i, { text: '={{ $json }}' }), /^Text: expected text, got an object$/],
		['HTML an array', (i) => create(i, {}, { html: '={{ [1, 2] }}' }), /^HTML: expected text, got an array$/],
		['Update Text null', (i) => update(i, { text: '={{ null }}' }), /^Text: expected text, got null$/],
		['Labels an object', (i) => send(i, {}, { labels: '={{ { vip: true } }}' }), /^Labels: expected labels as text, got an object$/],
		['Labels an array holding an object', (i) => create(i, {}, { labels: '={{ ["ok", { a: 1 }] }}' }), /^Labels: expected labels as text, got an object$/],
		['Labels to Add null', (i) => ({ resource: 'message', operation: 'label', inboxId: byId(i), messageId: '<m@agentmail.to>', addLabels: '={{ null }}' }), /^Labels to Add: expected labels as text, got null$/],
		['Labels to Remove an object', (i) => ({ resource: 'message', operation: 'label', inboxId: byId(i), messageId: '<m@agentmail.to>', removeLabels: '={{ {} }}' }), /^Labels to Remove: expected labels as text, got an object$/],
		['the Labels filter an object', (i) => list(i, { filters: { labels: '={{ { a: 1 } }}' } }), /^Labels: expected labels as text, got an object$/],
		['a header value an object', (i) => send(i, {}, { headers: { header: [{ name: 'X-A', value: '={{ { a: 1 } }}' }] } }), /^Headers: "X-A": expected text, got an object$/],
		['To an object', (i) => send(i, { to: '={{ { email: "a@example.com" } }}' }), /^To: expected email addresses as text, got an object$/],
		['Limit 0', (i) => list(i, { limit: 0 }), /^Limit: 0 is not a whole number from 1 to 100$/],
		['Limit 101', (i) => list(i, { limit: 101 }), /^Limit: 101 is not a whole number from 1 to 100$/],
		['Limit 2.5', (i) => list(i, { limit: 2.5 }), /^Limit: 2.5 is not a whole number from 1 to 100$/],
		['Limit "ten" by expression', (i) => list(i, { limit: '={{ "ten" }}' }), /^Limit: "ten" is not a whole number/],
		['Limit on message list -1', (i) => ({ resource: 'message', operation: 'list', inboxId: byId(i), returnAll: false, limit: -1 }), /^Limit: -1 is not/],
		['Limit on allowlist list 1000', () => ({ resource: 'allowlist', operation: 'list', scope: 'organization', direction: 'send', listType: 'allow', returnAll: false, limit: 1000 }), /^Limit: 1000 is not/],
		['Return All "maybe"', (i) => list(i, { returnAll: '={{ "maybe" }}' }), /^Return All: "maybe" is not a boolean/],
		['Ascending "yes"', (i) => list(i, { returnAll: true, filters: { ascending: '={{ "yes" }}' } }), /^Ascending: "yes" is not a boolean/],
		['Draft id an object', (i) => ({ resource: 'draft', operation: 'get', inboxId: byId(i), draftId: byId('={{ { id: 1 } }}') }), /^Draft: expected an id as text, got a/],
	];

	it.each(cases)('%s is refused before any request', async (_name, params, message) => {
		await expectRefused(params(getEnv().inbox), message);
	});

	it('Limit given as text "5" by expression reads as 5', async () => {
		const env = getEnv();
		for (let i = 0; i < 7; i++) await createDraft(env, { to: ['a@example.com'], subject: `d${i}` });
		const run = await env.run([am('List', list(env.inbox, { limit: '={{ "5" }}' }))]);
		expect(run.status).toBe('success');
		expect(run.json('List')).toHaveLength(5);
	});

	it('the failing item is the one named: item 1 of 2, which makes no request', async () => {
		const env = getEnv();
		const run = await env.run([am('Node', send(env.inbox, { subject: '={{ $json.subject }}' }))], {
			items: [{ subject: 'fine' }, { subject: { nested: true } }],
		});
		const error = expectOperationError(run, 'Node', /^Subject: expected text, got an object$/);
		expect(error.context?.itemIndex).toBe(1);
		expect((await env.requests()).map((r) => (r.body as IDataObject).subject)).toEqual(['fine']);
	});
});

describe('addresses (point 6)', () => {
	const cases: Case[] = [
		['an empty domain label', (i) => send(i, { to: 'a@example..com' }), /^To: "a@example\.\.com" is not a valid email address$/],
		['a domain label starting with "-"', (i) => send(i, { to: 'a@-example.com' }), /^To: "a@-example\.com" is not a valid email address$/],
		['a domain label ending with "-"', (i) => send(i, { to: 'a@example-.com' }), /^To: .* is not a valid email address$/],
		['a leading dot in the domain', (i) => send(i, { to: 'a@.example.com' }), /^To: .* is not a valid email address$/],
		['a trailing dot in the domain', (i) => send(i, { to: 'a@example.com.' }), /^To: .* is not a valid email address$/],
		['".." in the local part', (i) => send(i, {}, { cc: 'a..b@example.com' }), /^CC: "a\.\.b@example\.com" is not a valid email address$/],
		['a local part starting with "."', (i) => send(i, {}, { bcc: '.a@example.com' }), /^BCC: .* is not a valid email address$/],
		['a trailing NUL', (i) => send(i, { to: 'a@example.com\u0000' }), /^To: .*U\+0000/],
		['an underscore in the domain', (i) => send(i, { to: 'a@exa_mple.com' }), /^To: .* is not a valid email address$/],
		['a numeric top-level domain', (i) => send(i, { to: 'a@example.123' }), /^To: .* is not a valid email address$/],
		['allowlist Entry with an empty label', () => ({ resource: 'allowlist', operation: 'add', scope: 'organization', direction: 'send', listType: 'block', entry: 'example..com' }), /^Entry: "example\.\.com" is neither/],
		['allowlist Entry address with ".."', () => ({ resource: 'allowlist', operation: 'remove', scope: 'organization', direction: 'send', listType: 'block', entry: 'evil/../x@example.com' }), /^Entry: .* is neither/],
		['allowlist Entry with a "-" label', () => ({ resource: 'allowlist', operation: 'get', scope: 'organization', direction: 'send', listType: 'block', entry: 'a@-x.com' }), /^Entry: .* is neither/],
		['an IDN with a symbol that is no letter', (i) => send(i, { to: 'a@bü★cher.de' }), /^To: .* is not a valid email address$/],
	];

	it.each(cases)('%s is refused before any request', async (_name, params, message) => {
		await expectRefused(params(getEnv().inbox), message);
	});

	it('an internationalised domain is accepted in To and in an allowlist Entry alike, both sent as punycode', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Allow', { resource: 'allowlist', operation: 'add', scope: 'organization', direction: 'send', listType: 'allow', entry: 'bücher.example' }),
			am('Send', send(env.inbox, { to: 'Jürgen <jürgen@bücher.example>' })),
		]);
		// the local part must be ASCII (AgentMail has no SMTPUTF8): refused before the send
		expectOperationError(run, 'Send', /^To: "Jürgen <jürgen@bücher\.example>" is not a valid email address$/);
		const entries = (await env.api.get('/v0/lists/send/allow')).data.entries as IDataObject[];
		expect(entries.map((e) => e.entry)).toEqual(['xn--bcher-kva.example']);

		await env.clearRequests();
		const ok = await env.run([am('Send', send(env.inbox, { to: 'Jürgen <juergen@bücher.example>' }, { cc: 'info@BÜCHER.example' }))]);
		expect(ok.status).toBe('success');
		const [request] = await env.requests();
		expect((request.body as IDataObject).to).toEqual(['Jürgen <juergen@xn--bcher-kva.example>']);
		expect((request.body as IDataObject).cc).toEqual(['info@xn--bcher-kva.example']);
		// the allow list entry (punycode) lets the punycode recipients through
		expect((await env.outbox()).map((m) => m.to)).toEqual([['Jürgen <juergen@xn--bcher-kva.example>']]);
	});
});
