/** Drafts through the official SDK (AGENTMAIL_API.md §2). */
import { AgentMail, AgentMailError } from 'agentmail';
import { addFault, expectSdkError, inbound, outbox, useSandbox, waitFor } from './helpers';

const harness = useSandbox();
const PDF = Buffer.from('%PDF-1.4 sandbox').toString('base64');

describe('drafts (SDK)', () => {
	it('creates a draft and gets back every field, attachments reported as Attachment', async () => {
		const { client, inbox } = harness();
		const created = await client.inboxes.drafts.create(inbox, {
			labels: ['needs-review'],
			replyTo: ['Support <support@agentmail.to>'],
			to: ['Bob <bob@example.com>'],
			cc: ['carol@example.com'],
			bcc: ['audit@example.com'],
			subject: 'Quote',
			text: 'Hello Bob, here is the quote.',
			html: '<p>Hello Bob, here is the quote.</p>',
			attachments: [{ filename: 'quote.pdf', contentType: 'application/pdf', content: PDF }],
			clientId: 'draft-1',
		});
		expect(created.draftId).toMatch(/^drf_[a-z0-9]+\/[a-z0-9]+\+[a-z0-9]+=[a-z0-9]+\?[a-z0-9]+$/);
		expect(created).toMatchObject({
			inboxId: inbox,
			clientId: 'draft-1',
			labels: ['needs-review'],
			replyTo: ['Support <support@agentmail.to>'],
			to: ['Bob <bob@example.com>'],
			cc: ['carol@example.com'],
			bcc: ['audit@example.com'],
			subject: 'Quote',
			preview: 'Hello Bob, here is the quote.',
			text: 'Hello Bob, here is the quote.',
			html: '<p>Hello Bob, here is the quote.</p>',
		});
		expect(created.sendStatus).toBeUndefined();
		expect(created.attachments).toEqual([
			{ attachmentId: expect.stringMatching(/^att_/), filename: 'quote.pdf', size: 16, contentType: 'application/pdf' },
		]);
		expect(created.createdAt).toBeInstanceOf(Date);
		const fetched = await client.inboxes.drafts.get(inbox, created.draftId);
		expect(fetched).toEqual(created);
		const attachment = await client.inboxes.drafts.getAttachment(inbox, created.draftId, created.attachments![0].attachmentId);
		expect(attachment.size).toBe(16);
		expect(attachment.downloadUrl).toContain('/_sandbox/attachments/');
	});

	it('returns the original draft for a repeated client_id', async () => {
		const { client, inbox } = harness();
		const first = await client.inboxes.drafts.create(inbox, { clientId: 'once', subject: 'first' });
		const again = await client.inboxes.drafts.create(inbox, { clientId: 'once', subject: 'second' });
		expect(again.draftId).toBe(first.draftId);
		expect(again.subject).toBe('first');
		expect((await client.inboxes.drafts.list(inbox)).count).toBe(1);
	});

	it('lists DraftItem summaries (no body, reply_to, references, client_id, created_at), newest update first', async () => {
		const { client, inbox, api } = harness();
		const a = await client.inboxes.drafts.create(inbox, { subject: 'A', text: 'body', replyTo: ['x@example.com'], clientId: 'a' });
		const b = await client.inboxes.drafts.create(inbox, { subject: 'B', html: '<b>hi</b>' });
		await client.inboxes.drafts.update(inbox, a.draftId, { subject: 'A2' });
		const list = await client.inboxes.drafts.list(inbox);
		expect(list.count).toBe(2);
		expect(list.drafts.map((d) => d.draftId)).toEqual([a.draftId, b.draftId]);
		const ascending = await client.inboxes.drafts.list(inbox, { ascending: true });
		expect(ascending.drafts.map((d) => d.draftId)).toEqual([b.draftId, a.draftId]);
		const raw = await api.get(`/v0/inboxes/${encodeURIComponent(inbox)}/drafts`);
		const item = raw.data.drafts[0];
		expect(Object.keys(item).sort()).toEqual(['draft_id', 'inbox_id', 'labels', 'preview', 'subject', 'updated_at']);
		expect(item.preview).toBe('body');
	});

	it('filters the list by labels', async () => {
		const { client, inbox } = harness();
		await client.inboxes.drafts.create(inbox, { subject: 'r', labels: ['needs-review', 'vip'] });
		await client.inboxes.drafts.create(inbox, { subject: 'n', labels: ['needs-review'] });
		await client.inboxes.drafts.create(inbox, { subject: 'o' });
		const review = await client.inboxes.drafts.list(inbox, { labels: ['needs-review'] });
		expect(review.drafts.map((d) => d.subject).sort()).toEqual(['n', 'r']);
		const both = await client.inboxes.drafts.list(inbox, { labels: ['needs-review', 'vip'] });
		expect(both.drafts.map((d) => d.subject)).toEqual(['r']);
	});

	it('PATCH: omitted fields stay, null clears, [] clears recipients, labels are added and removed', async () => {
		const { client, inbox } = harness();
		const draft = await client.inboxes.drafts.create(inbox, {
			to: ['bob@example.com'],
			cc: ['carol@example.com'],
			subject: 'Keep me',
			text: 'clear me',
			html: '<p>keep</p>',
			labels: ['a', 'b'],
		});
		const updated = await client.inboxes.drafts.update(inbox, draft.draftId, {
			text: null,
			cc: [],
			bcc: ['dave@example.com'],
			addLabels: ['c'],
			removeLabels: ['a'],
		});
		expect(updated.subject).toBe('Keep me');
		expect(updated.html).toBe('<p>keep</p>');
		expect(updated.to).toEqual(['bob@example.com']);
		expect(updated.text).toBeUndefined();
		expect(updated.cc).toBeUndefined();
		expect(updated.bcc).toEqual(['dave@example.com']);
		expect(updated.labels).toEqual(['b', 'c']);
		expect(updated.updatedAt.getTime()).toBeGreaterThan(draft.updatedAt.getTime());
		expect(updated.createdAt).toEqual(draft.createdAt);
		const cleared = await client.inboxes.drafts.update(inbox, draft.draftId, { subject: null, to: null });
		expect(cleared.subject).toBeUndefined();
		expect(cleared.to).toBeUndefined();
		expect(cleared.html).toBe('<p>keep</p>');
	});

	it('adds and removes attachments on PATCH', async () => {
		const { client, inbox } = harness();
		const draft = await client.inboxes.drafts.create(inbox, {
			attachments: [{ filename: 'a.txt', content: Buffer.from('aaa').toString('base64') }],
		});
		const updated = await client.inboxes.drafts.update(inbox, draft.draftId, {
			removeAttachments: [draft.attachments![0].attachmentId],
			addAttachments: [{ filename: 'b.txt', contentType: 'text/plain', content: Buffer.from('bbbbb').toString('base64') }],
		});
		expect(updated.attachments).toEqual([
			{ attachmentId: expect.stringMatching(/^att_/), filename: 'b.txt', size: 5, contentType: 'text/plain' },
		]);
	});

	it('sends a draft: returns message and thread ids, deletes the draft, the message carries the labels', async () => {
		const { client, inbox } = harness();
		const draft = await client.inboxes.drafts.create(inbox, {
			to: ['bob@example.com'],
			subject: 'Approved',
			text: 'Go',
			labels: ['needs-review'],
		});
		const sent = await client.inboxes.drafts.send(inbox, draft.draftId, {
			addLabels: ['approved'],
			removeLabels: ['needs-review'],
		});
		expect(sent.messageId).toMatch(/^<[a-z0-9]+\/[a-z0-9]+\+[a-z0-9]+=[a-z0-9]+\?[a-z0-9]+@agentmail\.to>$/);
		expect(sent.threadId).toMatch(/^thd_/);
		await expectSdkError(client.inboxes.drafts.get(inbox, draft.draftId), AgentMail.NotFoundError, 404, 'not_found');
		await expectSdkError(client.inboxes.drafts.send(inbox, draft.draftId, {}), AgentMail.NotFoundError, 404, 'not_found');
		const message = await client.inboxes.messages.get(inbox, sent.messageId);
		expect(message.labels).toEqual(['approved', 'sent']);
		expect(message.subject).toBe('Approved');
		expect(message.to).toEqual(['bob@example.com']);
		expect(message.from).toBe('Sandbox Agent <agent@agentmail.to>');
		const [out] = await outbox(harness());
		expect(out).toMatchObject({ message_id: sent.messageId, via: 'draft', draft_id: draft.draftId, text: 'Go' });
	});

	it('deletes a draft (204) and then 404s', async () => {
		const { client, inbox, api } = harness();
		const draft = await client.inboxes.drafts.create(inbox, { subject: 'bye' });
		const res = await api.delete(`/v0/inboxes/${encodeURIComponent(inbox)}/drafts/${encodeURIComponent(draft.draftId)}`);
		expect(res.status).toBe(204);
		expect(res.data).toBe('');
		await expectSdkError(client.inboxes.drafts.delete(inbox, draft.draftId), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('lists and gets drafts across the organization (read-only org scope)', async () => {
		const { client, inbox } = harness();
		const other = await client.inboxes.create({ username: 'second' });
		const mine = await client.inboxes.drafts.create(inbox, { subject: 'mine', text: 'full body' });
		const theirs = await client.inboxes.drafts.create(other.inboxId, { subject: 'theirs' });
		const all = await client.drafts.list();
		expect(all.drafts.map((d) => [d.inboxId, d.draftId])).toEqual([
			[other.inboxId, theirs.draftId],
			[inbox, mine.draftId],
		]);
		const fetched = await client.drafts.get(mine.draftId);
		expect(fetched.text).toBe('full body');
		expect(fetched.inboxId).toBe(inbox);
		await expectSdkError(client.inboxes.drafts.get(other.inboxId, mine.draftId), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('schedules with send_at and really sends at that time, then deletes the draft', async () => {
		const { client, inbox } = harness();
		const sendAt = new Date(Date.now() + 1200);
		const draft = await client.inboxes.drafts.create(inbox, {
			to: ['bob@example.com'],
			subject: 'Later',
			text: 'scheduled body',
			sendAt,
		});
		expect(draft.sendStatus).toBe('scheduled');
		expect(draft.sendAt?.toISOString()).toBe(sendAt.toISOString());
		expect(draft.labels).toContain('scheduled');
		const scheduled = await client.inboxes.drafts.list(inbox, { labels: ['scheduled'] });
		expect(scheduled.drafts.map((d) => d.draftId)).toEqual([draft.draftId]);
		expect(await outbox(harness())).toEqual([]);
		const sent = await waitFor(async () => (await outbox(harness()))[0], 4000);
		expect(Date.parse(sent.sent_at)).toBeGreaterThanOrEqual(sendAt.getTime());
		expect(sent).toMatchObject({ via: 'scheduled', draft_id: draft.draftId, subject: 'Later', to: ['bob@example.com'] });
		expect(sent.labels).toEqual(['sent']);
		await expectSdkError(client.inboxes.drafts.get(inbox, draft.draftId), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('send_at: null unschedules (clears send_at and send_status, removes the label) and keeps the draft', async () => {
		const { client, inbox } = harness();
		const draft = await client.inboxes.drafts.create(inbox, {
			to: ['bob@example.com'],
			labels: ['keep'],
			sendAt: new Date(Date.now() + 400),
		});
		const unscheduled = await client.inboxes.drafts.update(inbox, draft.draftId, { sendAt: null });
		expect(unscheduled.sendAt).toBeUndefined();
		expect(unscheduled.sendStatus).toBeUndefined();
		expect(unscheduled.labels).toEqual(['keep']);
		await new Promise((resolve) => setTimeout(resolve, 700));
		expect(await outbox(harness())).toEqual([]);
		expect((await client.inboxes.drafts.get(inbox, draft.draftId)).draftId).toBe(draft.draftId);
		const rescheduled = await client.inboxes.drafts.update(inbox, draft.draftId, { sendAt: new Date(Date.now() + 60_000) });
		expect(rescheduled.sendStatus).toBe('scheduled');
		expect(rescheduled.labels).toEqual(['keep', 'scheduled']);
	});

	it('rejects a send_at in the past and the scheduled label set by hand (400 ValidationError)', async () => {
		const { client, inbox } = harness();
		const past = await expectSdkError(
			client.inboxes.drafts.create(inbox, { sendAt: new Date(Date.now() - 60_000) }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect(past.body.message).toContain('send_at');
		const draft = await client.inboxes.drafts.create(inbox, {});
		await expectSdkError(
			client.inboxes.drafts.update(inbox, draft.draftId, { addLabels: ['scheduled'] }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
	});

	it('creates reply drafts from in_reply_to: recipients, subject and threading come from the source', async () => {
		const h = harness();
		const received = await inbound(h, {
			from: 'Bob <bob@example.com>',
			to: ['agent@agentmail.to', 'carol@example.com'],
			cc: ['dave@example.com'],
			subject: 'Question',
			text: 'Can you help?',
		});
		const reply = await h.client.inboxes.drafts.create(h.inbox, { inReplyTo: received.message_id, text: 'Sure.' });
		expect(reply.to).toEqual(['Bob <bob@example.com>']);
		expect(reply.cc).toBeUndefined();
		expect(reply.subject).toBe('Re: Question');
		expect(reply.inReplyTo).toBe(received.message_id);
		expect(reply.references).toEqual([received.message_id]);
		const all = await h.client.inboxes.drafts.create(h.inbox, { inReplyTo: received.message_id, replyAll: true });
		expect(all.to).toEqual(['Bob <bob@example.com>', 'carol@example.com']);
		expect(all.cc).toEqual(['dave@example.com']);
		const sent = await h.client.inboxes.drafts.send(h.inbox, reply.draftId, {});
		expect(sent.threadId).toBe(received.thread_id);
		const message = await h.client.inboxes.messages.get(h.inbox, sent.messageId);
		expect(message.inReplyTo).toBe(received.message_id);
		await expectSdkError(
			h.client.inboxes.drafts.create(h.inbox, { inReplyTo: received.message_id, replyAll: true, to: ['x@example.com'] }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		await expectSdkError(
			h.client.inboxes.drafts.create(h.inbox, { inReplyTo: '<missing@agentmail.to>' }),
			AgentMail.NotFoundError,
			404,
			'not_found',
		);
	});

	it('forward drafts take subject and threading from the source and merge its body at send time', async () => {
		const h = harness();
		const received = await inbound(h, { from: 'bob@example.com', subject: 'Invoice', text: 'Original body' });
		const draft = await h.client.inboxes.drafts.create(h.inbox, { forwardOf: received.message_id, to: ['acct@example.com'], text: 'FYI' });
		expect(draft.subject).toBe('Fwd: Invoice');
		expect(draft.forwardOf).toBe(received.message_id);
		await h.client.inboxes.drafts.send(h.inbox, draft.draftId, {});
		const [sent] = await outbox(h);
		expect(sent.text).toContain('FYI');
		expect(sent.text).toContain('Original body');
		expect(sent.thread_id).toBe(received.thread_id);
	});

	it('409 ConflictError when editing, deleting or sending a draft that is being sent', async () => {
		const h = harness();
		const draft = await h.client.inboxes.drafts.create(h.inbox, { to: ['bob@example.com'], subject: 'slow' });
		await addFault(h, { method: 'POST', path: '/send', latency_ms: 600 });
		const sending = h.client.inboxes.drafts.send(h.inbox, draft.draftId, {});
		await waitFor(async () => ((await h.client.inboxes.drafts.get(h.inbox, draft.draftId)).sendStatus === 'sending' ? true : undefined));
		const edit = await expectSdkError(
			h.client.inboxes.drafts.update(h.inbox, draft.draftId, { subject: 'changed' }),
			AgentMail.ConflictError,
			409,
			'conflict',
		);
		expect(edit.body.message).toContain('being sent');
		await expectSdkError(
			h.client.inboxes.drafts.send(h.inbox, draft.draftId, {}, { maxRetries: 0 }),
			AgentMail.ConflictError,
			409,
			'conflict',
		);
		// The SDK maps only 404 on delete, so a 409 arrives as the generic AgentMailError.
		await expectSdkError(h.client.inboxes.drafts.delete(h.inbox, draft.draftId), AgentMailError, 409, 'conflict');
		const sent = await sending;
		expect(sent.messageId).toMatch(/^</);
		expect((await outbox(h)).map((m) => m.subject)).toEqual(['slow']);
	});

	it('a rejected draft send (403) keeps the draft unsent', async () => {
		const h = harness();
		await h.client.lists.create('send', 'block', { entry: 'example.com' });
		const draft = await h.client.inboxes.drafts.create(h.inbox, { to: ['bob@example.com'], subject: 'blocked' });
		const error = await expectSdkError(
			h.client.inboxes.drafts.send(h.inbox, draft.draftId, {}),
			AgentMail.MessageRejectedError,
			403,
			'message_rejected',
		);
		expect(error.body.fix).toContain('DELETE /v0/lists/send/block/example.com');
		const kept = await h.client.inboxes.drafts.get(h.inbox, draft.draftId);
		expect(kept.sendStatus).toBeUndefined();
		expect(await outbox(h)).toEqual([]);
	});

	it('a scheduled send that the lists reject leaves the draft failed, and a new send_at retries it', async () => {
		const h = harness();
		await h.client.lists.create('send', 'block', { entry: 'bob@example.com' });
		const draft = await h.client.inboxes.drafts.create(h.inbox, { to: ['bob@example.com'], sendAt: new Date(Date.now() + 150) });
		const failed = await waitFor(async () => {
			const current = await h.client.inboxes.drafts.get(h.inbox, draft.draftId);
			return current.sendStatus === 'failed' ? current : undefined;
		});
		expect(failed.labels).not.toContain('scheduled');
		await h.client.lists.delete('send', 'block', 'bob@example.com');
		await h.client.inboxes.drafts.update(h.inbox, draft.draftId, { sendAt: new Date(Date.now() + 100) });
		const sent = await waitFor(async () => (await outbox(h))[0]);
		expect(sent.draft_id).toBe(draft.draftId);
	});
});
