/**
 * Drafts from a message (AGENTMAIL_API.md §11: draft-reply, draft-reply-all,
 * draft-forward) and attachment download links. The SDK (0.5.27) has no
 * client for the draft endpoints, so they are tested over raw HTTP; the
 * drafts they create are then read and sent through the SDK.
 */
import { AgentMail } from 'agentmail';
import { enc, expectSdkError, inbound, outbox, useSandbox, type Harness } from './helpers';

const harness = useSandbox();

async function customerMail(h: Harness) {
	return inbound(h, {
		from: 'Customer <customer@example.com>',
		to: [h.inbox, 'colleague@example.com'],
		cc: 'manager@example.com',
		subject: 'Broken widget',
		text: 'My widget broke.',
		attachments: [{ filename: 'w.jpg', content_type: 'image/jpeg', content: Buffer.from('JPEG').toString('base64') }],
	});
}

const path = (h: Harness, messageId: string, action: string) =>
	`/v0/inboxes/${enc(h.inbox)}/messages/${enc(messageId)}/${action}`;

describe('draft-reply, draft-reply-all, draft-forward', () => {
	it('draft-reply: a reply draft to the sender with the derived subject and threading; nothing is sent', async () => {
		const h = harness();
		const source = await customerMail(h);
		const res = await h.api.post(path(h, source.message_id, 'draft-reply'), { text: 'We will replace it.', labels: ['agent'] });
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({
			inbox_id: h.inbox,
			draft_id: expect.stringMatching(/^drf_/),
			labels: ['agent'],
			to: ['Customer <customer@example.com>'],
			subject: 'Re: Broken widget',
			text: 'We will replace it.',
			in_reply_to: source.message_id,
			references: [source.message_id],
		});
		expect(res.data).not.toHaveProperty('cc');
		expect(await outbox(h)).toEqual([]);
		const draft = await h.client.inboxes.drafts.get(h.inbox, res.data.draft_id);
		expect(draft.inReplyTo).toBe(source.message_id);
		const sent = await h.client.inboxes.drafts.send(h.inbox, res.data.draft_id, {});
		expect(sent.threadId).toBe(source.thread_id);
	});

	it('draft-reply takes explicit recipients (string or array) and reply_all; draft-reply-all addresses everyone', async () => {
		const h = harness();
		const source = await customerMail(h);
		const explicit = await h.api.post(path(h, source.message_id, 'draft-reply'), { to: 'other@example.com', bcc: ['audit@example.com'] });
		expect(explicit.status).toBe(200);
		expect(explicit.data).toMatchObject({ to: ['other@example.com'], bcc: ['audit@example.com'] });
		const widened = await h.api.post(path(h, source.message_id, 'draft-reply'), { reply_all: true });
		const all = await h.api.post(path(h, source.message_id, 'draft-reply-all'), { html: '<p>Hi all</p>' });
		for (const res of [widened, all]) {
			expect(res.status).toBe(200);
			expect(res.data.to).toEqual(['Customer <customer@example.com>', 'colleague@example.com']);
			expect(res.data.cc).toEqual(['manager@example.com']);
		}
		const mixed = await h.api.post(path(h, source.message_id, 'draft-reply'), { reply_all: true, to: ['x@example.com'] });
		expect(mixed.status).toBe(400);
		const noTo = await h.api.post(path(h, source.message_id, 'draft-reply-all'), { to: ['x@example.com'] });
		expect(noTo.status).toBe(400);
		expect(noTo.data.message).toContain('to');
	});

	it('draft-forward: subject Fwd:, caller-chosen recipients; the source body and attachments are merged at send', async () => {
		const h = harness();
		const source = await customerMail(h);
		const res = await h.api.post(path(h, source.message_id, 'draft-forward'), {
			to: ['engineering@example.com'],
			text: 'Please look at this.',
			attachments: [{ filename: 'note.txt', content_type: 'text/plain', content: Buffer.from('n').toString('base64') }],
		});
		expect(res.status).toBe(200);
		expect(res.data).toMatchObject({
			to: ['engineering@example.com'],
			subject: 'Fwd: Broken widget',
			forward_of: source.message_id,
			text: 'Please look at this.',
		});
		expect(res.data.attachments.map((a: { filename: string }) => a.filename)).toEqual(['note.txt']);
		const custom = await h.api.post(path(h, source.message_id, 'draft-forward'), { subject: 'FYI' });
		expect(custom.data.subject).toBe('FYI');
		expect(custom.data).not.toHaveProperty('to');
		await h.client.inboxes.drafts.send(h.inbox, res.data.draft_id, {});
		const [sent] = await outbox(h);
		expect(sent.text).toContain('Please look at this.');
		expect(sent.text).toContain('My widget broke.');
		expect(sent.attachments?.map((a) => a.filename)).toEqual(['note.txt', 'w.jpg']);
	});

	it('client_id makes each create idempotent: the same draft comes back', async () => {
		const h = harness();
		const source = await customerMail(h);
		for (const action of ['draft-reply', 'draft-reply-all', 'draft-forward']) {
			const body = { client_id: `c-${action}`, text: 'once' };
			const first = await h.api.post(path(h, source.message_id, action), body);
			const again = await h.api.post(path(h, source.message_id, action), body);
			expect(first.status).toBe(200);
			expect(again.data.draft_id).toBe(first.data.draft_id);
			expect(again.data.client_id).toBe(`c-${action}`);
		}
		expect((await h.client.inboxes.drafts.list(h.inbox)).count).toBe(3);
	});

	it('send_at schedules the draft; unknown fields, system labels and bad addresses are 400', async () => {
		const h = harness();
		const source = await customerMail(h);
		const later = new Date(Date.now() + 3600_000).toISOString();
		const scheduled = await h.api.post(path(h, source.message_id, 'draft-reply'), { send_at: later });
		expect(scheduled.data).toMatchObject({ send_status: 'scheduled', labels: ['scheduled'] });
		const bad = [
			{ action: 'draft-reply', body: { subject: 'not here: derived' }, field: 'subject' },
			{ action: 'draft-reply', body: { sendAt: later }, field: 'sendAt' },
			{ action: 'draft-forward', body: { labels: ['sent'] }, field: 'labels' },
			{ action: 'draft-forward', body: { to: ['not an address'] }, field: 'to' },
			{ action: 'draft-reply-all', body: { reply_all: true }, field: 'reply_all' },
		];
		for (const { action, body, field } of bad) {
			const res = await h.api.post(path(h, source.message_id, action), body);
			expect({ action, field, status: res.status }).toEqual({ action, field, status: 400 });
			expect(JSON.stringify(res.data.errors ?? res.data.message)).toContain(field);
		}
		expect((await h.client.inboxes.drafts.list(h.inbox)).count).toBe(1);
	});

	it('404 for an unknown message or inbox, before the body is looked at', async () => {
		const h = harness();
		const missing = await h.api.post(path(h, '<nope@agentmail.to>', 'draft-reply'), { bogus: true });
		expect(missing.status).toBe(404);
		expect(missing.data.code).toBe('not_found');
		const inbox = await h.api.post(`/v0/inboxes/nobody%40agentmail.to/messages/${enc('<x@y>')}/draft-forward`, {});
		expect(inbox.status).toBe(404);
		expect(inbox.data.message).toBe('Inbox not found');
	});
});

describe('attachment download links', () => {
	it('serve the exact bytes of a message attachment with its content type; the link is presigned', async () => {
		const h = harness();
		const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
		const source = await inbound(h, {
			from: 'c@example.com',
			subject: 'file',
			attachments: [{ filename: 'data.bin', content_type: 'application/x-test', content: bytes.toString('base64') }],
		});
		const message = await h.client.inboxes.messages.get(h.inbox, source.message_id);
		const attachmentId = message.attachments![0].attachmentId;
		const meta = await h.client.inboxes.messages.getAttachment(h.inbox, source.message_id, attachmentId);
		expect(meta).toMatchObject({ attachmentId, filename: 'data.bin', contentType: 'application/x-test', size: 4096 });
		expect(meta.expiresAt.getTime()).toBeGreaterThan(Date.now());
		const file = await h.http.get(meta.downloadUrl, { responseType: 'arraybuffer' });
		expect(file.status).toBe(200);
		expect(file.headers['content-type']).toBe('application/x-test');
		expect(Buffer.from(file.data).equals(bytes)).toBe(true);
		// Presigned: the API key must not travel to the storage host, and the link cannot be forged.
		const withKey = await h.api.get(meta.downloadUrl);
		expect(withKey.status).toBe(400);
		const unsigned = await h.http.get(`/_sandbox/attachments/${enc(attachmentId)}`);
		expect(unsigned.status).toBe(403);
		const forged = await h.http.get(meta.downloadUrl.replace(/signature=[^&]+/, 'signature=abc'));
		expect(forged.status).toBe(403);
		await expectSdkError(
			h.client.inboxes.messages.getAttachment(h.inbox, source.message_id, 'att_missing'),
			AgentMail.NotFoundError,
			404,
			'not_found',
		);
	});
});
