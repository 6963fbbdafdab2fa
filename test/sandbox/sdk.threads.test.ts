/** Threads through the official SDK (DEF threads.yml, AGENTMAIL_API.md §3.4 and §8), inbox and organization scope. */
import { AgentMail } from 'agentmail';
import { enc, expectSdkError, inbound, useSandbox, type Harness } from './helpers';

const harness = useSandbox();

/** A conversation in the seeded inbox: we write, the customer answers (with an attachment), we reply. */
async function conversation(h: Harness, subject = 'Order 42') {
	const first = await h.client.inboxes.messages.send(h.inbox, {
		to: 'Customer <customer@example.com>',
		cc: 'boss@example.com',
		subject,
		text: 'Your order shipped.',
		labels: ['support'],
	});
	const answer = await inbound(h, {
		from: 'Customer <customer@example.com>',
		subject: `Re: ${subject}`,
		text: 'It did not arrive.',
		in_reply_to: first.messageId,
		attachments: [{ filename: 'photo.png', content_type: 'image/png', content: Buffer.from('PNGDATA').toString('base64') }],
	});
	const reply = await h.client.inboxes.messages.reply(h.inbox, answer.message_id, { text: 'Sorry, resending.' });
	return { first, answer, reply, threadId: first.threadId };
}

describe('threads (SDK)', () => {
	it('a sent message, the answer and our reply are one thread: ThreadItem summarises them', async () => {
		const h = harness();
		const { first, answer, reply, threadId } = await conversation(h);
		expect(answer.thread_id).toBe(threadId);
		expect(reply.threadId).toBe(threadId);
		const list = await h.client.inboxes.threads.list(h.inbox);
		expect(list.count).toBe(1);
		const [item] = list.threads;
		expect(item).toMatchObject({
			inboxId: h.inbox,
			threadId,
			labels: expect.arrayContaining(['support', 'sent', 'received', 'unread']),
			senders: ['Sandbox Agent <agent@agentmail.to>', 'Customer <customer@example.com>'],
			recipients: ['Customer <customer@example.com>', 'boss@example.com', 'agent@agentmail.to'],
			subject: 'Order 42',
			preview: 'Sorry, resending.',
			lastMessageId: reply.messageId,
			messageCount: 3,
		});
		expect(item.labels).toHaveLength(4);
		expect(item.attachments).toEqual([
			{ attachmentId: expect.stringMatching(/^att_/), filename: 'photo.png', size: 7, contentType: 'image/png' },
		]);
		const messages = await Promise.all(
			[first.messageId, answer.message_id, reply.messageId].map((id) => h.client.inboxes.messages.get(h.inbox, id)),
		);
		expect(item.size).toBe(messages.reduce((sum, m) => sum + m.size, 0));
		expect(item.timestamp).toEqual(messages[2].timestamp);
		expect(item.sentTimestamp).toEqual(messages[2].timestamp);
		expect(item.receivedTimestamp).toEqual(messages[1].timestamp);
		expect(item.createdAt).toEqual(messages[0].createdAt);
		const raw = await h.api.get(`/v0/inboxes/${enc(h.inbox)}/threads`);
		expect(raw.data.threads[0]).not.toHaveProperty('messages');
	});

	it('gets the thread with its full messages, oldest first; the organization scope finds it by id alone', async () => {
		const h = harness();
		const { first, answer, reply, threadId } = await conversation(h);
		const thread = await h.client.inboxes.threads.get(h.inbox, threadId);
		expect(thread.messageCount).toBe(3);
		expect(thread.count).toBe(3);
		expect(thread.nextPageToken).toBeUndefined();
		expect(thread.messages.map((m) => m.messageId)).toEqual([first.messageId, answer.message_id, reply.messageId]);
		expect(thread.messages[1]).toMatchObject({ text: 'It did not arrive.', from: 'Customer <customer@example.com>' });
		expect(thread.messages[2].inReplyTo).toBe(answer.message_id);
		const org = await h.client.threads.get(threadId);
		expect(org).toEqual(thread);
	});

	it('pages the messages of a long thread: newest page first, oldest first within a page', async () => {
		const h = harness();
		const { first } = await h.client.inboxes.messages.send(h.inbox, { to: 'c@example.com', subject: 'long', text: 'm0' }).then((r) => ({ first: r }));
		const ids = [first.messageId];
		for (let i = 1; i < 5; i++) {
			const next = await inbound(h, { from: 'c@example.com', subject: 'Re: long', text: `m${i}`, in_reply_to: ids[ids.length - 1] });
			ids.push(next.message_id);
		}
		const page1 = await h.client.inboxes.threads.get(h.inbox, first.threadId, { limit: 2 });
		expect(page1.messages.map((m) => m.text)).toEqual(['m3', 'm4']);
		expect(page1).toMatchObject({ count: 2, limit: 2, messageCount: 5 });
		expect(page1.nextPageToken).toEqual(expect.any(String));
		const page2 = await h.client.inboxes.threads.get(h.inbox, first.threadId, { limit: 2, pageToken: page1.nextPageToken });
		expect(page2.messages.map((m) => m.text)).toEqual(['m1', 'm2']);
		const page3 = await h.client.threads.get(first.threadId, { limit: 2, pageToken: page2.nextPageToken });
		expect(page3.messages.map((m) => m.text)).toEqual(['m0']);
		expect(page3.nextPageToken).toBeUndefined();
		const capped = await h.api.get(`/v0/threads/${enc(first.threadId)}`, { params: { limit: 500 } });
		expect(capped.data.limit).toBe(100);
		const foreign = await h.api.get(`/v0/threads/${enc(first.threadId)}`, { params: { page_token: 'bm9wZQ' } });
		expect(foreign.status).toBe(400);
	});

	it('lists newest first (by last message), ascending reverses, labels/before/after filter, pages with limit', async () => {
		const h = harness();
		const a = await h.client.inboxes.messages.send(h.inbox, { to: 'a@example.com', subject: 'A', text: 'a', labels: ['vip'] });
		const b = await h.client.inboxes.messages.send(h.inbox, { to: 'b@example.com', subject: 'B', text: 'b' });
		const c = await h.client.inboxes.messages.send(h.inbox, { to: 'c@example.com', subject: 'C', text: 'c' });
		// An answer in A makes it the most recent thread.
		await inbound(h, { from: 'a@example.com', subject: 'Re: A', text: 'back', in_reply_to: a.messageId });
		const all = await h.client.inboxes.threads.list(h.inbox);
		expect(all.threads.map((t) => t.subject)).toEqual(['A', 'C', 'B']);
		const ascending = await h.client.inboxes.threads.list(h.inbox, { ascending: true });
		expect(ascending.threads.map((t) => t.subject)).toEqual(['B', 'C', 'A']);
		const vip = await h.client.inboxes.threads.list(h.inbox, { labels: ['vip', 'received'] });
		expect(vip.threads.map((t) => t.threadId)).toEqual([a.threadId]);
		const cThread = all.threads[1];
		const before = await h.client.inboxes.threads.list(h.inbox, { before: cThread.timestamp });
		expect(before.threads.map((t) => t.threadId)).toEqual([b.threadId]);
		const after = await h.client.inboxes.threads.list(h.inbox, { after: cThread.timestamp });
		expect(after.threads.map((t) => t.threadId)).toEqual([a.threadId]);
		const page1 = await h.client.inboxes.threads.list(h.inbox, { limit: 2 });
		expect(page1.threads.map((t) => t.threadId)).toEqual([a.threadId, c.threadId]);
		const page2 = await h.client.inboxes.threads.list(h.inbox, { limit: 2, pageToken: page1.nextPageToken });
		expect(page2.threads.map((t) => t.threadId)).toEqual([b.threadId]);
		expect(page2.nextPageToken).toBeUndefined();
	});

	it('filters by senders, recipients and subject substrings (search-backed: limit capped at 100)', async () => {
		const h = harness();
		await h.client.inboxes.messages.send(h.inbox, { to: 'alice@acme.com', subject: 'Quarterly report', text: '.' });
		await h.client.inboxes.messages.send(h.inbox, { to: 'bob@other.com', subject: 'Lunch', text: '.' });
		await inbound(h, { from: 'Carol <carol@acme.com>', subject: 'Invoice', text: '.' });
		const acme = await h.client.inboxes.threads.list(h.inbox, { recipients: ['ACME.com'], limit: 500 });
		expect(acme.threads.map((t) => t.subject)).toEqual(['Quarterly report']);
		expect(acme.limit).toBe(100);
		const carol = await h.client.inboxes.threads.list(h.inbox, { senders: ['carol'] });
		expect(carol.threads.map((t) => t.subject)).toEqual(['Invoice']);
		const lunch = await h.client.threads.list({ subject: ['lun'] });
		expect(lunch.threads.map((t) => t.subject)).toEqual(['Lunch']);
	});

	it('hides threads whose every message is spam, blocked or trash unless include_* or labels asks for them', async () => {
		const h = harness();
		const spam = await inbound(h, { from: 'x@spam.example', subject: 'Win', text: '.', labels: ['spam'] });
		const mixed = await h.client.inboxes.messages.send(h.inbox, { to: 'y@example.com', subject: 'Mixed', text: '.' });
		await inbound(h, { from: 'y@example.com', subject: 'Re: Mixed', text: '.', in_reply_to: mixed.messageId, labels: ['trash'] });
		const visible = await h.client.inboxes.threads.list(h.inbox);
		expect(visible.threads.map((t) => t.subject)).toEqual(['Mixed']);
		const withSpam = await h.client.inboxes.threads.list(h.inbox, { includeSpam: true });
		expect(withSpam.threads.map((t) => t.threadId)).toEqual([mixed.threadId, spam.thread_id]);
		const asked = await h.client.inboxes.threads.list(h.inbox, { labels: ['spam'] });
		expect(asked.threads.map((t) => t.threadId)).toEqual([spam.thread_id]);
	});

	it('organization scope lists the threads of every inbox with their inbox_id; inbox scope only its own', async () => {
		const h = harness();
		await h.client.inboxes.create({ username: 'sales' });
		const own = await h.client.inboxes.messages.send(h.inbox, { to: 'a@example.com', subject: 'own', text: '.' });
		const other = await h.client.inboxes.messages.send('sales@agentmail.to', { to: 'b@example.com', subject: 'other', text: '.' });
		const org = await h.client.threads.list();
		expect(org.threads.map((t) => [t.inboxId, t.subject])).toEqual([
			['sales@agentmail.to', 'other'],
			[h.inbox, 'own'],
		]);
		const inboxOnly = await h.client.inboxes.threads.list(h.inbox);
		expect(inboxOnly.threads.map((t) => t.threadId)).toEqual([own.threadId]);
		await expectSdkError(h.client.inboxes.threads.get(h.inbox, other.threadId), AgentMail.NotFoundError, 404, 'not_found');
		await expectSdkError(h.client.inboxes.threads.list('nobody@agentmail.to'), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('mail between two sandbox inboxes gives each inbox its own thread', async () => {
		const h = harness();
		await h.client.inboxes.create({ username: 'sales' });
		const sent = await h.client.inboxes.messages.send(h.inbox, { to: 'sales@agentmail.to', subject: 'hi', text: '.' });
		const theirs = await h.client.inboxes.threads.list('sales@agentmail.to');
		expect(theirs.threads).toHaveLength(1);
		expect(theirs.threads[0].threadId).not.toBe(sent.threadId);
		expect(theirs.threads[0].lastMessageId).toBe(sent.messageId);
	});

	it('updates labels on every message of the thread and returns { thread_id, labels }; a label in both is removed', async () => {
		const h = harness();
		const { threadId, first, reply } = await conversation(h);
		const updated = await h.client.inboxes.threads.update(h.inbox, threadId, {
			addLabels: ['escalated', 'both'],
			removeLabels: ['support', 'unread', 'both'],
		});
		expect(updated.threadId).toBe(threadId);
		expect([...updated.labels].sort()).toEqual(['escalated', 'received', 'sent']);
		for (const id of [first.messageId, reply.messageId]) {
			const message = await h.client.inboxes.messages.get(h.inbox, id);
			expect(message.labels).toContain('escalated');
			expect(message.labels).not.toContain('support');
		}
		const org = await h.client.threads.update(threadId, { removeLabels: ['escalated'] });
		expect(org.labels).not.toContain('escalated');
		const raw = await h.api.get(`/v0/inboxes/${enc(h.inbox)}/threads`, { params: { labels: '["escalated"]' } });
		expect(raw.data.threads).toEqual([]);
	});

	it('refuses system labels (400), a string instead of an array (400), unknown threads (404)', async () => {
		const h = harness();
		const { threadId } = await conversation(h);
		const system = await expectSdkError(
			h.client.inboxes.threads.update(h.inbox, threadId, { removeLabels: ['sent'] }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect(system.body.message).toContain('system label');
		const scalar = await h.api.patch(`/v0/inboxes/${enc(h.inbox)}/threads/${enc(threadId)}`, { add_labels: 'x' });
		expect(scalar.status).toBe(400);
		expect(scalar.data.errors[0].path).toEqual(['add_labels']);
		await expectSdkError(h.client.threads.update('thd_missing', { addLabels: ['x'] }), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('refuses label updates on a thread of 100 messages with 422', async () => {
		const h = harness();
		let last = await inbound(h, { from: 'c@example.com', subject: 'big', text: '0' });
		for (let i = 1; i < 100; i++) {
			last = await inbound(h, { from: 'c@example.com', subject: 'Re: big', text: String(i), in_reply_to: last.message_id });
		}
		const error = await expectSdkError(
			h.client.inboxes.threads.update(h.inbox, last.thread_id, { addLabels: ['x'] }),
			AgentMail.UnprocessableError,
			422,
			'unprocessable',
		);
		expect(error.body.message).toContain('100 messages');
	});

	it('gets an attachment of any message in the thread as AttachmentResponse with a download_url', async () => {
		const h = harness();
		const { threadId } = await conversation(h);
		const thread = await h.client.inboxes.threads.get(h.inbox, threadId);
		const attachmentId = thread.attachments![0].attachmentId;
		const attachment = await h.client.inboxes.threads.getAttachment(h.inbox, threadId, attachmentId);
		expect(attachment).toMatchObject({ attachmentId, filename: 'photo.png', contentType: 'image/png', size: 7 });
		const bytes = await h.http.get(attachment.downloadUrl, { responseType: 'arraybuffer' });
		expect(Buffer.from(bytes.data).toString()).toBe('PNGDATA');
		const org = await h.client.threads.getAttachment(threadId, attachmentId);
		expect(org.attachmentId).toBe(attachmentId);
		await expectSdkError(h.client.threads.getAttachment(threadId, 'att_missing'), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('deletes a thread permanently with all its messages (204); then 404; other threads stay', async () => {
		const h = harness();
		const { threadId, first } = await conversation(h);
		const other = await h.client.inboxes.messages.send(h.inbox, { to: 'z@example.com', subject: 'keep', text: '.' });
		const res = await h.api.delete(`/v0/inboxes/${enc(h.inbox)}/threads/${enc(threadId)}`);
		expect(res.status).toBe(204);
		expect(res.data).toBe('');
		await expectSdkError(h.client.inboxes.threads.get(h.inbox, threadId), AgentMail.NotFoundError, 404, 'not_found');
		await expectSdkError(h.client.inboxes.messages.get(h.inbox, first.messageId), AgentMail.NotFoundError, 404, 'not_found');
		const list = await h.client.inboxes.messages.list(h.inbox, { includeTrash: true });
		expect(list.messages.map((m) => m.threadId)).toEqual([other.threadId]);
		await h.client.threads.delete(other.threadId);
		expect((await h.client.threads.list()).count).toBe(0);
		await expectSdkError(h.client.threads.delete(other.threadId), AgentMail.NotFoundError, 404, 'not_found');
	});
});
