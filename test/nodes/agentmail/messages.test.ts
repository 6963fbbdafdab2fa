/**
 * Message operations of the AgentMail node (send, get, list, reply, label).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import {
	addresses,
	am,
	byId,
	expectNoRequests,
	expectOperationError,
	header,
	inbound,
	inboxPath,
	itemWithFiles,
	readMessage,
	runWith,
	sendMessage,
} from './helpers';

const getEnv = useNodeEnv();

const message = (operation: string, params: INodeParameters = {}): INodeParameters => ({
	resource: 'message',
	operation,
	...params,
});

describe('message: send', () => {
	it('sends with recipients, bodies, labels and custom headers; outputs message_id, thread_id, result', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Send',
				message('send', {
					inboxId: byId(env.inbox),
					to: 'Customer <customer@example.com>, second@example.com',
					subject: 'Order shipped',
					text: 'It is on its way.',
					additionalFields: {
						cc: 'cc@example.com',
						bcc: 'audit@example.com',
						replyTo: 'support@example.com',
						html: '<p>It is on its way.</p>',
						labels: 'shipping, customer',
						headers: { header: [{ name: 'X-Ticket-ID', value: 'T-42' }, { name: 'X-Priority', value: 'high' }] },
					},
				}),
			),
		]);
		expect(run.status).toBe('success');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		const [sent] = outbox;
		expect(run.output('Send')).toEqual([
			{
				json: {
					message_id: sent.message_id,
					thread_id: sent.thread_id,
					result: { message_id: sent.message_id, thread_id: sent.thread_id },
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sent).toMatchObject({
			via: 'send',
			from: `Sandbox Agent <${env.inbox}>`,
			to: ['Customer <customer@example.com>', 'second@example.com'],
			cc: ['cc@example.com'],
			bcc: ['audit@example.com'],
			reply_to: ['support@example.com'],
			subject: 'Order shipped',
			text: 'It is on its way.',
			html: '<p>It is on its way.</p>',
			headers: { 'X-Ticket-ID': 'T-42', 'X-Priority': 'high' },
		});

		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/messages/send`);
		expect(request.body).toEqual({
			to: ['Customer <customer@example.com>', 'second@example.com'],
			cc: ['cc@example.com'],
			bcc: ['audit@example.com'],
			reply_to: ['support@example.com'],
			subject: 'Order shipped',
			text: 'It is on its way.',
			html: '<p>It is on its way.</p>',
			labels: ['shipping', 'customer'],
			headers: { 'X-Ticket-ID': 'T-42', 'X-Priority': 'high' },
		});
		expect(header(request, 'idempotency-key')).toMatch(/^n8n-message-send-[0-9a-f]{40}$/);
		expect(sent.idempotency_key).toBe(header(request, 'idempotency-key'));

		const stored = await readMessage(env, sent.message_id as string);
		expect(stored.status).toBe(200);
		expect([...(stored.data.labels as string[])].sort()).toEqual(['customer', 'sent', 'shipping']);
	});

	it('sends binary properties of the input item as attachments', async () => {
		const env = getEnv();
		const run = await runWith(
			env,
			[
				am(
					'Send',
					message('send', {
						inboxId: byId(env.inbox),
						to: 'a@example.com',
						text: 'files attached',
						additionalFields: { attachments: 'data, report' },
					}),
				),
			],
			{
				startItems: [
					itemWithFiles({ data: ['hello.txt', 'text/plain', 'hello'], report: ['report.csv', 'text/csv', 'a,b\n1,2\n'] }),
				],
			},
		);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(sent.attachments).toEqual([
			expect.objectContaining({ filename: 'hello.txt', content_type: 'text/plain', content: Buffer.from('hello').toString('base64') }),
			expect.objectContaining({ filename: 'report.csv', content_type: 'text/csv', content: Buffer.from('a,b\n1,2\n').toString('base64') }),
		]);
	});

	it('accepts exactly 50 recipients across To, CC and BCC', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Send',
				message('send', {
					inboxId: byId(env.inbox),
					to: addresses(40),
					text: 'many',
					additionalFields: { cc: addresses(5, 'cc'), bcc: addresses(5, 'bcc') },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect((sent.to as string[]).length + (sent.cc as string[]).length + (sent.bcc as string[]).length).toBe(50);
	});

	it('refuses 51 recipients before sending anything', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Send',
				message('send', {
					inboxId: byId(env.inbox),
					to: addresses(1),
					text: 'too many',
					additionalFields: { cc: addresses(25, 'cc'), bcc: addresses(25, 'bcc') },
				}),
			),
		]);
		expectOperationError(run, 'Send', /^Too many recipients: 51 across To, CC and BCC \(AgentMail allows at most 50\)$/);
		await expectNoRequests(env);
		expect(await env.outbox()).toEqual([]);
	});
});

describe('message: get', () => {
	it('outputs message_id, thread_id and the complete Message (id with angle brackets in the path)', async () => {
		const env = getEnv();
		const sent = await sendMessage(env, { to: ['a@example.com'], subject: 'Hello', text: 'Body text' });
		await env.clearRequests();
		const run = await env.run([
			am('Get', message('get', { inboxId: byId(env.inbox), messageId: sent.message_id as string })),
		]);
		expect(run.status).toBe('success');
		const stored = (await readMessage(env, sent.message_id as string)).data;
		expect(run.json('Get')).toEqual([{ message_id: sent.message_id, thread_id: sent.thread_id, result: stored }]);
		expect(stored).toMatchObject({ subject: 'Hello', text: 'Body text', to: ['a@example.com'] });
		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/messages/${sent.message_id}`);
		expect(String(sent.message_id)).toMatch(/^<.+@.+>$/);
	});

	it('uses the message_id of the previous node by default (Send -> Get)', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Send', message('send', { inboxId: byId(env.inbox), to: 'a@example.com', subject: 'chain', text: 'x' })),
			am('Get', message('get', { inboxId: byId(env.inbox) })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Get')[0].message_id).toBe(run.json('Send')[0].message_id);
		expect((run.json('Get')[0].result as IDataObject).subject).toBe('chain');
	});
});

describe('message: list', () => {
	async function threeMessages() {
		const env = getEnv();
		const m1 = await sendMessage(env, { to: ['one@example.com'], subject: 'one', text: '1' });
		const m2 = await inbound(env, { from: 'cust@example.com', subject: 'two', text: '2' });
		const m3 = await sendMessage(env, { to: ['three@example.com'], subject: 'three', text: '3' });
		await env.clearRequests();
		return { env, m1, m2, m3 };
	}

	it('outputs one item per message summary, newest first (Return All)', async () => {
		const { env, m1, m2, m3 } = await threeMessages();
		const summaries = (await env.api.get(`${inboxPath(env)}/messages`)).data.messages as IDataObject[];
		await env.clearRequests();
		const run = await env.run([am('List', message('list', { inboxId: byId(env.inbox), returnAll: true }))]);
		expect(run.status).toBe('success');
		expect(run.json('List')).toEqual(summaries);
		expect(run.json('List').map((m) => m.message_id)).toEqual([m3.message_id, m2.message_id, m1.message_id]);
		expect((await env.requests())[0].query).toEqual({ limit: '100' });
	});

	it('Limit, labels filter and ascending', async () => {
		const { env, m1, m2, m3 } = await threeMessages();
		const limited = await env.run([am('List', message('list', { inboxId: byId(env.inbox), limit: 2 }))]);
		expect(limited.json('List').map((m) => m.message_id)).toEqual([m3.message_id, m2.message_id]);

		const received = await env.run([
			am('List', message('list', { inboxId: byId(env.inbox), returnAll: true, filters: { labels: 'received' } })),
		]);
		expect(received.json('List').map((m) => m.message_id)).toEqual([m2.message_id]);

		const oldestFirst = await env.run([
			am('List', message('list', { inboxId: byId(env.inbox), returnAll: true, filters: { ascending: true } })),
		]);
		expect(oldestFirst.json('List').map((m) => m.message_id)).toEqual([m1.message_id, m2.message_id, m3.message_id]);

		const queries = (await env.requests()).map((r) => r.query);
		expect(queries).toEqual([
			{ limit: '2' },
			{ limit: '100', labels: '["received"]' },
			{ limit: '100', ascending: 'true' },
		]);
	});

	it('"Output a Single Item" gives {messages, count, next_page_token} and pages with Page Cursor', async () => {
		const { env, m1, m2, m3 } = await threeMessages();
		const first = await env.run([
			am('List', message('list', { inboxId: byId(env.inbox), limit: 2, options: { singleItem: true } })),
		]);
		const [page1] = first.json('List');
		expect(page1).toEqual({
			messages: [expect.objectContaining({ message_id: m3.message_id }), expect.objectContaining({ message_id: m2.message_id })],
			count: 2,
			next_page_token: expect.any(String),
		});
		const second = await env.run([
			am(
				'List',
				message('list', {
					inboxId: byId(env.inbox),
					limit: 2,
					options: { singleItem: true, pageCursor: page1.next_page_token as string },
				}),
			),
		]);
		expect(second.json('List')).toEqual([
			{ messages: [expect.objectContaining({ message_id: m1.message_id })], count: 1, next_page_token: null },
		]);
	});
});

describe('message: reply', () => {
	async function received() {
		const env = getEnv();
		const original = await inbound(env, {
			from: 'Customer <customer@example.com>',
			cc: ['colleague@example.com'],
			subject: 'Where is my order?',
			text: 'Order 1234',
		});
		await env.clearRequests();
		return { env, original };
	}

	it('answers the sender in the same thread', async () => {
		const { env, original } = await received();
		const run = await env.run([
			am(
				'Reply',
				message('reply', {
					inboxId: byId(env.inbox),
					messageId: original.message_id as string,
					text: 'It ships today.',
					additionalFields: { labels: 'answered' },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(run.json('Reply')).toEqual([
			{
				message_id: sent.message_id,
				thread_id: original.thread_id,
				result: { message_id: sent.message_id, thread_id: original.thread_id },
			},
		]);
		expect(sent).toMatchObject({
			via: 'reply',
			thread_id: original.thread_id,
			in_reply_to: original.message_id,
			to: ['Customer <customer@example.com>'],
			subject: 'Re: Where is my order?',
			text: 'It ships today.',
		});
		expect(sent.cc).toBeUndefined();
		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/messages/${original.message_id}/reply`);
		expect(original.message_id).toMatch(/^<.+>$/);
		expect(request.body).toEqual({ text: 'It ships today.', labels: ['answered'] });
		expect(header(request, 'idempotency-key')).toMatch(/^n8n-message-reply-[0-9a-f]{40}$/);
	});

	it('a reply can carry attachments from the input item', async () => {
		const { env, original } = await received();
		const run = await runWith(
			env,
			[
				am(
					'Reply',
					message('reply', {
						inboxId: byId(env.inbox),
						messageId: original.message_id as string,
						text: 'Label attached',
						additionalFields: { attachments: 'label' },
					}),
				),
			],
			{ startItems: [itemWithFiles({ label: ['label.png', 'image/png', 'PNGDATA'] })] },
		);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(sent).toMatchObject({ via: 'reply', thread_id: original.thread_id });
		expect(sent.attachments).toEqual([
			expect.objectContaining({ filename: 'label.png', content_type: 'image/png', content: Buffer.from('PNGDATA').toString('base64') }),
		]);
	});

	it('Reply All answers everyone on the message, in the same thread', async () => {
		const { env, original } = await received();
		const run = await env.run([
			am(
				'Reply',
				message('reply', {
					inboxId: byId(env.inbox),
					messageId: original.message_id as string,
					replyAll: true,
					additionalFields: { html: '<p>Ships today</p>' },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(run.json('Reply')[0].thread_id).toBe(original.thread_id);
		expect(sent).toMatchObject({ via: 'reply-all', thread_id: original.thread_id, html: '<p>Ships today</p>' });
		expect([...(sent.to as string[]), ...((sent.cc as string[]) ?? [])]).toEqual(
			expect.arrayContaining(['Customer <customer@example.com>', 'colleague@example.com']),
		);
		expect((await env.requests())[0].decoded_path).toBe(
			`/v0/inboxes/${env.inbox}/messages/${original.message_id}/reply-all`,
		);
		const thread = (await env.api.get(`${inboxPath(env)}/messages`)).data.messages as IDataObject[];
		expect(thread.filter((m) => m.thread_id === original.thread_id)).toHaveLength(2);
	});
});

describe('message: label', () => {
	it('adds and removes labels: {message_id, labels, result}', async () => {
		const env = getEnv();
		const sent = await sendMessage(env, { to: ['a@example.com'], text: 'x', labels: ['unhandled', 'keep'] });
		await env.clearRequests();
		const run = await env.run([
			am(
				'Label',
				message('label', {
					inboxId: byId(env.inbox),
					messageId: sent.message_id as string,
					addLabels: 'escalated, needs-human',
					removeLabels: 'unhandled',
				}),
			),
		]);
		expect(run.status).toBe('success');
		const stored = (await readMessage(env, sent.message_id as string)).data;
		expect([...(stored.labels as string[])].sort()).toEqual(['escalated', 'keep', 'needs-human', 'sent']);
		const [out] = run.json('Label');
		expect(out).toEqual({
			message_id: sent.message_id,
			labels: stored.labels,
			result: { message_id: sent.message_id, labels: stored.labels },
		});
		const [request] = await env.requests();
		expect(request.method).toBe('PATCH');
		expect(request.body).toEqual({ add_labels: ['escalated', 'needs-human'], remove_labels: ['unhandled'] });
	});
});

describe('message: bad input fails the item before any request', () => {
	const inbox = () => byId(getEnv().inbox);
	const cases: Array<[string, () => INodeParameters, RegExp]> = [
		[
			'send: invalid To address',
			() => message('send', { inboxId: inbox(), to: 'customer(at)example.com', text: 'x' }),
			/^To: "customer\(at\)example.com" is not a valid email address$/,
		],
		[
			'send: invalid BCC address',
			() => message('send', { inboxId: inbox(), to: 'a@example.com', text: 'x', additionalFields: { bcc: 'a@b@c.com' } }),
			/^BCC: "a@b@c.com" is not a valid email address$/,
		],
		[
			'send: empty recipients (from an expression)',
			() => message('send', { inboxId: inbox(), to: '={{ "" }}', text: 'x' }),
			/^To needs at least one email address$/,
		],
		[
			'send: more than 50 recipients',
			() => message('send', { inboxId: inbox(), to: addresses(51), text: 'x' }),
			/^Too many recipients: 51/,
		],
		[
			'send: no body',
			() => message('send', { inboxId: inbox(), to: 'a@example.com', subject: 'empty' }),
			/^Text or HTML is required: the message has no body$/,
		],
		[
			'send: header with an invalid name',
			() =>
				message('send', {
					inboxId: inbox(),
					to: 'a@example.com',
					text: 'x',
					additionalFields: { headers: { header: [{ name: 'Bad Header', value: 'v' }] } },
				}),
			/^Headers: "Bad Header" is not a valid header$/,
		],
		[
			'send: header value with a line break (header injection)',
			() =>
				message('send', {
					inboxId: inbox(),
					to: 'a@example.com',
					text: 'x',
					additionalFields: { headers: { header: [{ name: 'X-Note', value: 'a\r\nBcc: evil@example.com' }] } },
				}),
			/^Headers: "X-Note": may not contain line breaks or control characters \(found U\+000D\)$/,
		],
		[
			'send: inbox id ".."',
			() => message('send', { inboxId: byId('..'), to: 'a@example.com', text: 'x' }),
			/^Inbox is not a valid id/,
		],
		[
			'get: message id with a line break',
			() => message('get', { inboxId: inbox(), messageId: '<abc\n@agentmail.to>' }),
			/^Message ID is not a valid id: it may not contain control characters$/,
		],
		['get: message id ".."', () => message('get', { inboxId: inbox(), messageId: '..' }), /^Message ID is not a valid id/],
		[
			'list: inbox id ".."',
			() => message('list', { inboxId: byId('..'), returnAll: true }),
			/^Inbox is not a valid id/,
		],
		[
			'list: unparseable Before filter',
			() => message('list', { inboxId: inbox(), returnAll: true, filters: { before: 'last week' } }),
			/^Before: "last week" is not a valid date and time$/,
		],
		[
			'reply: no body',
			() => message('reply', { inboxId: inbox(), messageId: '<m@agentmail.to>' }),
			/^Text or HTML is required: the reply has no body$/,
		],
		[
			'reply: message id longer than 512 characters',
			() => message('reply', { inboxId: inbox(), messageId: `<${'m'.repeat(520)}@agentmail.to>`, text: 'x' }),
			/^Message ID is not a valid id: it is longer than 512 characters$/,
		],
		[
			'reply: attachment property missing on the item',
			() =>
				message('reply', {
					inboxId: inbox(),
					messageId: '<m@agentmail.to>',
					text: 'x',
					additionalFields: { attachments: 'data' },
				}),
			/^Attachments: the input item has no binary property "data"$/,
		],
		[
			'label: no labels at all',
			() => message('label', { inboxId: inbox(), messageId: '<m@agentmail.to>', addLabels: ' , ', removeLabels: '' }),
			/^Labels to Add or Labels to Remove: give at least one label$/,
		],
		[
			'label: label too long',
			() => message('label', { inboxId: inbox(), messageId: '<m@agentmail.to>', addLabels: 'x'.repeat(300) }),
			/^Labels to Add: label "x{40}…" is too long$/,
		],
		[
			'label: message id with a control character',
			() => message('label', { inboxId: inbox(), messageId: '<m\u0000@agentmail.to>', addLabels: 'a' }),
			/^Message ID is not a valid id: it may not contain control characters$/,
		],
	];

	it.each(cases)('%s', async (_name, params, error) => {
		const env = getEnv();
		const run = await env.run([am('Message', params())]);
		expectOperationError(run, 'Message', error);
		await expectNoRequests(env);
		expect(await env.outbox()).toEqual([]);
	});
});
