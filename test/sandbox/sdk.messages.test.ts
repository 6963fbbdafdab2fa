/** Messages through the official SDK (AGENTMAIL_API.md §3). */
import { AgentMail, AgentMailError } from 'agentmail';
import { expectSdkError, inbound, outbox, useSandbox } from './helpers';

const harness = useSandbox();

describe('messages (SDK)', () => {
	it('sends a message: sent label, new thread, full Message on get, outbox entry', async () => {
		const { client, inbox } = harness();
		const sent = await client.inboxes.messages.send(inbox, {
			to: 'bob@example.com',
			cc: ['carol@example.com'],
			bcc: ['audit@example.com'],
			replyTo: 'support@agentmail.to',
			subject: 'Hello',
			text: 'Hi Bob',
			html: '<p>Hi Bob</p>',
			labels: ['outreach'],
			headers: { 'X-Campaign': 'q3' },
			attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('abc').toString('base64') }],
		});
		expect(sent.messageId).toMatch(/^<[a-z0-9]+\/[a-z0-9]+\+[a-z0-9]+=[a-z0-9]+\?[a-z0-9]+@agentmail\.to>$/);
		expect(sent.threadId).toMatch(/^thd_[a-z0-9]+$/);
		const message = await client.inboxes.messages.get(inbox, sent.messageId);
		expect(message).toMatchObject({
			inboxId: inbox,
			threadId: sent.threadId,
			messageId: sent.messageId,
			labels: ['outreach', 'sent'],
			from: 'Sandbox Agent <agent@agentmail.to>',
			to: ['bob@example.com'],
			cc: ['carol@example.com'],
			bcc: ['audit@example.com'],
			replyTo: ['support@agentmail.to'],
			subject: 'Hello',
			preview: 'Hi Bob',
			text: 'Hi Bob',
			html: '<p>Hi Bob</p>',
			headers: { 'X-Campaign': 'q3' },
			size: 'HelloHi Bob<p>Hi Bob</p>'.length + 3,
		});
		expect(message.timestamp).toBeInstanceOf(Date);
		expect(message.attachments).toEqual([
			{ attachmentId: expect.stringMatching(/^att_/), filename: 'a.txt', size: 3, contentType: 'text/plain' },
		]);
		const [out] = await outbox(harness());
		expect(out).toMatchObject({ via: 'send', message_id: sent.messageId, text: 'Hi Bob', bcc: ['audit@example.com'] });
		expect(out.attachments?.[0].content).toBe(Buffer.from('abc').toString('base64'));
	});

	it('lists MessageItem summaries by timestamp, newest first; ascending reverses; labels filter', async () => {
		const { client, inbox, api } = harness();
		const first = await client.inboxes.messages.send(inbox, { to: 'a@example.com', subject: 'one', text: 'x', labels: ['tag'] });
		const second = await client.inboxes.messages.send(inbox, { to: 'b@example.com', subject: 'two', text: 'y' });
		const list = await client.inboxes.messages.list(inbox);
		expect(list.count).toBe(2);
		expect(list.messages.map((m) => m.messageId)).toEqual([second.messageId, first.messageId]);
		const ascending = await client.inboxes.messages.list(inbox, { ascending: true });
		expect(ascending.messages.map((m) => m.messageId)).toEqual([first.messageId, second.messageId]);
		const tagged = await client.inboxes.messages.list(inbox, { labels: ['tag'] });
		expect(tagged.messages.map((m) => m.subject)).toEqual(['one']);
		const raw = await api.get(`/v0/inboxes/${encodeURIComponent(inbox)}/messages`);
		for (const key of ['text', 'html', 'reply_to', 'extracted_text', 'extracted_html']) {
			expect(raw.data.messages[0]).not.toHaveProperty(key);
		}
		expect(raw.data.messages[0].preview).toBe('y');
	});

	it('filters by from/to/subject substrings (search-backed, limit capped at 100)', async () => {
		const { client, inbox } = harness();
		await client.inboxes.messages.send(inbox, { to: 'alice@acme.com', subject: 'Quarterly report', text: '.' });
		await client.inboxes.messages.send(inbox, { to: 'bob@other.com', subject: 'Lunch', text: '.' });
		const acme = await client.inboxes.messages.list(inbox, { to: ['acme.com'], limit: 500 });
		expect(acme.messages.map((m) => m.subject)).toEqual(['Quarterly report']);
		expect(acme.limit).toBe(100);
		const subject = await client.inboxes.messages.list(inbox, { subject: ['lunch'] });
		expect(subject.messages.map((m) => m.subject)).toEqual(['Lunch']);
	});

	it('updates labels (add/remove; a label in both ends up removed) and returns { message_id, labels }', async () => {
		const { client, inbox } = harness();
		const received = await inbound(harness(), { from: 'bob@example.com', subject: 'hi', text: 'hello' });
		expect(received.labels).toEqual(['received', 'unread']);
		const updated = await client.inboxes.messages.update(inbox, received.message_id, {
			addLabels: ['read', 'handled'],
			removeLabels: ['unread', 'handled'],
		});
		expect(updated).toEqual({ messageId: received.message_id, labels: ['received', 'read'] });
		const single = await client.inboxes.messages.update(inbox, received.message_id, { addLabels: 'vip' });
		expect(single.labels).toEqual(['received', 'read', 'vip']);
	});

	it('refuses to change system labels (400 ValidationError)', async () => {
		const { client, inbox } = harness();
		const sent = await client.inboxes.messages.send(inbox, { to: 'bob@example.com', text: 'x' });
		const error = await expectSdkError(
			client.inboxes.messages.update(inbox, sent.messageId, { removeLabels: ['sent'] }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect(error.body.message).toContain('system label');
		expect((await client.inboxes.messages.get(inbox, sent.messageId)).labels).toEqual(['sent']);
	});

	it('replies: joins the source thread, derives Re: subject, recipients and references', async () => {
		const h = harness();
		const received = await inbound(h, {
			from: 'Bob <bob@example.com>',
			to: ['agent@agentmail.to', 'carol@example.com'],
			cc: ['dave@example.com'],
			subject: 'Pricing',
			text: 'How much?',
		});
		const reply = await h.client.inboxes.messages.reply(h.inbox, received.message_id, { text: '10 EUR' });
		expect(reply.threadId).toBe(received.thread_id);
		const message = await h.client.inboxes.messages.get(h.inbox, reply.messageId);
		expect(message).toMatchObject({
			subject: 'Re: Pricing',
			to: ['Bob <bob@example.com>'],
			inReplyTo: received.message_id,
			references: [received.message_id],
			labels: ['sent'],
		});
		expect(message.cc).toBeUndefined();
		const again = await h.client.inboxes.messages.reply(h.inbox, reply.messageId, { text: 'follow-up' });
		const followUp = await h.client.inboxes.messages.get(h.inbox, again.messageId);
		expect(followUp.subject).toBe('Re: Pricing');
		expect(followUp.to).toEqual(['Bob <bob@example.com>']);
		expect(followUp.references).toEqual([received.message_id, reply.messageId]);
		expect(again.threadId).toBe(received.thread_id);
	});

	it('reply-all (endpoint and reply_all flag) addresses everyone but ourselves', async () => {
		const h = harness();
		const received = await inbound(h, {
			from: 'bob@example.com',
			to: ['agent@agentmail.to', 'carol@example.com'],
			cc: ['dave@example.com', 'Agent <AGENT@agentmail.to>'],
			subject: 'Team',
			text: 'All of you',
		});
		const viaEndpoint = await h.client.inboxes.messages.replyAll(h.inbox, received.message_id, { text: 'ack' });
		const viaFlag = await h.client.inboxes.messages.reply(h.inbox, received.message_id, { text: 'ack', replyAll: true });
		for (const sent of [viaEndpoint, viaFlag]) {
			const message = await h.client.inboxes.messages.get(h.inbox, sent.messageId);
			expect(message.to).toEqual(['bob@example.com', 'carol@example.com']);
			expect(message.cc).toEqual(['dave@example.com']);
			expect(message.threadId).toBe(received.thread_id);
		}
		expect((await outbox(h)).map((m) => m.via)).toEqual(['reply-all', 'reply']);
	});

	it('forwards a message with its body and attachments', async () => {
		const h = harness();
		const received = await inbound(h, {
			from: 'bob@example.com',
			subject: 'Contract',
			text: 'Signed copy attached',
			attachments: [{ filename: 'c.pdf', content: Buffer.from('pdf').toString('base64') }],
		});
		const fwd = await h.client.inboxes.messages.forward(h.inbox, received.message_id, { to: 'legal@example.com', text: 'Please file' });
		const message = await h.client.inboxes.messages.get(h.inbox, fwd.messageId);
		expect(message.subject).toBe('Fwd: Contract');
		expect(message.text).toContain('Please file');
		expect(message.text).toContain('Signed copy attached');
		expect(message.attachments?.map((a) => a.filename)).toEqual(['c.pdf']);
	});

	it('deletes a message (then 404)', async () => {
		const { client, inbox } = harness();
		const sent = await client.inboxes.messages.send(inbox, { to: 'bob@example.com', text: 'x' });
		await client.inboxes.messages.delete(inbox, sent.messageId);
		await expectSdkError(client.inboxes.messages.get(inbox, sent.messageId), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('no recipients -> 422 unprocessable; more than 50 -> 400 ValidationError; nothing sent', async () => {
		const { client, inbox } = harness();
		// messages.send declares no 422 in the API definition, so the SDK raises its generic AgentMailError.
		const none = await expectSdkError(
			client.inboxes.messages.send(inbox, { subject: 'nobody', text: 'x' }),
			AgentMailError,
			422,
			'unprocessable',
		);
		expect(none.body.name).toBe('UnprocessableError');
		const to = Array.from({ length: 30 }, (_, i) => `to${i}@example.com`);
		const cc = Array.from({ length: 21 }, (_, i) => `cc${i}@example.com`);
		const tooMany = await expectSdkError(
			client.inboxes.messages.send(inbox, { to, cc, text: 'x' }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect(tooMany.body.message).toContain('51');
		const fifty = await client.inboxes.messages.send(inbox, { to, cc: cc.slice(1), text: 'ok' });
		expect(fifty.messageId).toMatch(/^</);
		expect((await outbox(harness())).length).toBe(1);
	});

	it('404s for an unknown inbox or message', async () => {
		const { client, inbox } = harness();
		await expectSdkError(
			client.inboxes.messages.send('ghost@agentmail.to', { to: 'bob@example.com', text: 'x' }),
			AgentMail.NotFoundError,
			404,
			'not_found',
		);
		await expectSdkError(
			client.inboxes.messages.reply(inbox, '<nope@agentmail.to>', { text: 'x' }),
			AgentMail.NotFoundError,
			404,
			'not_found',
		);
	});

	it('validates addresses (400 with errors[].path)', async () => {
		const { client, inbox } = harness();
		const error = await expectSdkError(
			client.inboxes.messages.send(inbox, { to: ['bob@example.com', 'not-an-address'], text: 'x' }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect((error.body as unknown as { errors: unknown[] }).errors).toEqual([
			{ path: ['to', 1], message: expect.stringContaining('user@domain.com') },
		]);
	});
});
