/**
 * Answering a conversation (issue 12): Message → Forward, and Draft → Create
 * Reply / Reply-All / Forward Draft from a message, through n8n-core.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useNodeEnv, type NodeEnv } from '../setup';
import {
	am,
	byId,
	expectApiError,
	expectNoRequests,
	expectOperationError,
	header,
	inbound,
	itemWithFiles,
	readDraft,
	runWith,
} from './helpers';

const getEnv = useNodeEnv();

async function customerMail(env: NodeEnv) {
	const mail = await inbound(env, {
		from: 'Customer <customer@example.com>',
		to: [env.inbox, 'colleague@example.com'],
		cc: 'manager@example.com',
		subject: 'Broken widget',
		text: 'My widget broke.',
		attachments: [{ filename: 'w.jpg', content_type: 'image/jpeg', content: Buffer.from('JPEG').toString('base64') }],
	});
	await env.clearRequests();
	return mail.message_id as string;
}

const message = (operation: string, params: INodeParameters): INodeParameters => ({ resource: 'message', operation, ...params });
const draft = (operation: string, params: INodeParameters): INodeParameters => ({ resource: 'draft', operation, ...params });

describe('message: forward', () => {
	it('forwards with the original below the text, its attachments and ours; Idempotency-Key; outputs message_id, thread_id', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const run = await runWith(
			env,
			[
				am(
					'Forward',
					message('forward', {
						inboxId: byId(env.inbox),
						messageId: source,
						to: 'engineering@example.com',
						text: 'Please look at this.',
						additionalFields: { cc: 'lead@example.com', bcc: 'audit@example.com', html: '<p>Please look.</p>', attachments: 'data', labels: 'escalated' },
					}),
				),
			],
			{ startItems: [itemWithFiles({ data: ['note.txt', 'text/plain', 'n'] })] },
		);
		expect(run.status).toBe('success');
		const [sent] = await env.outbox();
		expect(run.json('Forward')).toEqual([{ message_id: sent.message_id, thread_id: sent.thread_id, result: { message_id: sent.message_id, thread_id: sent.thread_id } }]);
		expect(sent).toMatchObject({
			via: 'forward',
			to: ['engineering@example.com'],
			cc: ['lead@example.com'],
			bcc: ['audit@example.com'],
			subject: 'Fwd: Broken widget',
		});
		expect(sent.text).toEqual(expect.stringContaining('Please look at this.'));
		expect(sent.text).toEqual(expect.stringContaining('My widget broke.'));
		expect((sent.attachments as IDataObject[]).map((a) => a.filename)).toEqual(['note.txt', 'w.jpg']);
		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/messages/${source}/forward`);
		expect(header(request, 'idempotency-key')).toMatch(/^n8n-message-forward-[0-9a-f]{40}$/);
		expect(request.body).not.toHaveProperty('subject');
	});

	it('a retry after a lost answer sends once (same Idempotency-Key)', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		await env.fault({ method: 'POST', path: '/forward', status: 503, after: true });
		const run = await env.run([am('Forward', message('forward', { inboxId: byId(env.inbox), messageId: source, to: 'x@example.com', subject: 'FYI' }))]);
		expect(run.status).toBe('success');
		expect(await env.outbox()).toHaveLength(1);
		expect((await env.outbox())[0].subject).toBe('FYI');
	});

	it('refuses no or bad recipients, a multi-line subject and a bad message id before any request', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ to: '={{ "" }}' }, /^To/],
			[{ to: 'not an address' }, /^To/],
			[{ to: 'a@example.com', subject: 'Hi\r\nBcc: x@evil.test' }, /^Subject/],
			[{ to: 'a@example.com', messageId: '..' }, /^Message ID is not a valid id/],
		];
		for (const [params, error] of cases) {
			const run = await env.run([am('Forward', message('forward', { inboxId: byId(env.inbox), messageId: source, ...params }))]);
			expectOperationError(run, 'Forward', error);
		}
		await expectNoRequests(env);
	});

	it('an unknown message is a 404; continue-on-fail', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const run = await env.run(
			[am('Forward', message('forward', { inboxId: byId(env.inbox), messageId: '={{ $json.id }}', to: 'x@example.com' }), { onError: 'continueRegularOutput' })],
			{ items: [{ id: '<missing@agentmail.to>' }, { id: source }] },
		);
		const [missing, sent] = run.json('Forward');
		expect(missing).toMatchObject({ status: 404, code: 'not_found' });
		expect(sent.message_id).toEqual(expect.any(String));
		const stop = await env.run([am('Forward', message('forward', { inboxId: byId(env.inbox), messageId: '<missing@agentmail.to>', to: 'x@example.com' }))]);
		expectApiError(stop, 'Forward', 404, 'not_found');
	});
});

describe('draft: create reply / reply-all / forward draft', () => {
	it('Create Reply Draft: recipients, subject and threading from the message; nothing sent; client_id derived', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const run = await env.run([
			am('Reply', draft('createReply', { inboxId: byId(env.inbox), messageId: source, text: 'We will replace it.', additionalFields: { labels: 'agent' } })),
		]);
		expect(run.status).toBe('success');
		const [item] = run.json('Reply');
		const stored = (await readDraft(env, item.draft_id as string)).data;
		expect(item).toEqual({ draft_id: stored.draft_id, send_status: '', result: stored });
		expect(stored).toMatchObject({
			to: ['Customer <customer@example.com>'],
			subject: 'Re: Broken widget',
			text: 'We will replace it.',
			labels: ['agent'],
			in_reply_to: source,
		});
		expect(await env.outbox()).toEqual([]);
		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/messages/${source}/draft-reply`);
		expect(request.body).toEqual({ text: 'We will replace it.', labels: ['agent'], client_id: expect.stringMatching(/^n8n-draft-reply-[0-9a-f]{40}$/) });
	});

	it('Create Reply-All Draft addresses everyone; Create Reply Draft takes explicit recipients', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const all = await env.run([am('All', draft('createReplyAll', { inboxId: byId(env.inbox), messageId: source, text: 'Hi all' }))]);
		expect(all.json('All')[0].result).toMatchObject({
			to: ['Customer <customer@example.com>', 'colleague@example.com'],
			cc: ['manager@example.com'],
		});
		const explicit = await env.run([
			am('Reply', draft('createReply', { inboxId: byId(env.inbox), messageId: source, text: 'x', additionalFields: { to: 'other@example.com', bcc: 'audit@example.com' } })),
		]);
		expect(explicit.json('Reply')[0].result).toMatchObject({ to: ['other@example.com'], bcc: ['audit@example.com'] });
	});

	it('Create Forward Draft: chosen recipients and subject, a scheduled send, attachments from the input item', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const sendAt = '2099-06-01T09:00:00.000Z';
		const run = await runWith(
			env,
			[
				am(
					'Fwd',
					draft('createForward', {
						inboxId: byId(env.inbox),
						messageId: source,
						to: 'engineering@example.com',
						subject: 'Widget bug',
						text: 'FYI',
						additionalFields: { attachments: 'data', sendAt },
					}),
				),
			],
			{ startItems: [itemWithFiles({ data: ['log.txt', 'text/plain', 'trace'] })] },
		);
		expect(run.status).toBe('success');
		const [item] = run.json('Fwd');
		expect(item.send_status).toBe('scheduled');
		expect(item.result).toMatchObject({
			to: ['engineering@example.com'],
			subject: 'Widget bug',
			forward_of: source,
			send_at: sendAt,
			attachments: [expect.objectContaining({ filename: 'log.txt', content_type: 'text/plain' })],
		});
		// The draft can be sent later: the original is merged in then.
		await env.api.post(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts/${encodeURIComponent(item.draft_id as string)}/send`, {});
		const [sent] = await env.outbox();
		expect((sent.attachments as IDataObject[]).map((a) => a.filename)).toEqual(['log.txt', 'w.jpg']);
	});

	it('is idempotent: a retry after a lost answer returns the draft the first attempt created', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		await env.fault({ method: 'POST', path: '/draft-reply', status: 502, after: true });
		const run = await env.run([am('Reply', draft('createReply', { inboxId: byId(env.inbox), messageId: source, text: 'once' }))]);
		expect(run.status).toBe('success');
		const posts = (await env.requests()).filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.status)).toEqual([502, 200]);
		expect((await env.api.get(`/v0/inboxes/${encodeURIComponent(env.inbox)}/drafts`)).data.count).toBe(1);
	});

	it('refuses bad input before any request', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const cases: Array<[string, INodeParameters, RegExp]> = [
			['createReply', { messageId: '..' }, /^Message ID is not a valid id/],
			['createReply', { additionalFields: { cc: 'not an address' } }, /^CC/],
			['createReply', { additionalFields: { clientId: 'a b' } }, /^Client ID/],
			['createReplyAll', { additionalFields: { sendAt: 'soon' } }, /^Send At/],
			['createReplyAll', { additionalFields: { labels: 'bad\u0000label' } }, /^Labels/],
			['createForward', { to: 'a@example..com' }, /^To/],
			['createForward', { subject: 'x\ny' }, /^Subject/],
			['createForward', { additionalFields: { attachments: 'nope' } }, /^Attachments/],
		];
		for (const [operation, params, error] of cases) {
			const run = await env.run([am('Draft', draft(operation, { inboxId: byId(env.inbox), messageId: source, text: 't', ...params }))]);
			expectOperationError(run, 'Draft', error);
		}
		await expectNoRequests(env);
	});

	it('an unknown message is a 404; continue-on-fail', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		for (const operation of ['createReply', 'createReplyAll', 'createForward']) {
			const run = await env.run(
				[am('Draft', draft(operation, { inboxId: byId(env.inbox), messageId: '={{ $json.id }}', text: 't' }), { onError: 'continueRegularOutput' })],
				{ items: [{ id: '<missing@agentmail.to>' }, { id: source }] },
			);
			const [missing, created] = run.json('Draft');
			expect(missing).toMatchObject({ status: 404, code: 'not_found' });
			expect(created.draft_id).toEqual(expect.any(String));
		}
	});

	it('the reply flow: Trigger-like item -> Create Reply Draft -> Send Draft sends one reply in the thread', async () => {
		const env = getEnv();
		const source = await customerMail(env);
		const run = await env.run(
			[
				am('Reply', draft('createReply', { inboxId: byId(env.inbox), text: 'Replacement on its way.' })),
				am('Send', draft('send', { inboxId: byId(env.inbox) })),
			],
			{ items: [{ message_id: source }] },
		);
		expect(run.status).toBe('success');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		const stored = await env.api.get(`/v0/inboxes/${encodeURIComponent(env.inbox)}/messages/${encodeURIComponent(source)}`);
		expect(outbox[0]).toMatchObject({ in_reply_to: source, thread_id: stored.data.thread_id, subject: 'Re: Broken widget' });
	});
});
