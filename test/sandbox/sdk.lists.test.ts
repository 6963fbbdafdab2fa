/** Allow/block lists through the official SDK (AGENTMAIL_API.md §4), including enforcement on send. */
import { AgentMail, AgentMailError } from 'agentmail';
import { expectSdkError, outbox, useSandbox } from './helpers';

const harness = useSandbox();

describe('lists (SDK)', () => {
	it('creates, gets, lists and deletes org-scoped entries; the server sets entry_type', async () => {
		const { client } = harness();
		const email = await client.lists.create('send', 'block', { entry: 'Spammer@Example.com', reason: 'complaints' });
		expect(email).toMatchObject({
			entry: 'spammer@example.com',
			direction: 'send',
			listType: 'block',
			entryType: 'email',
			reason: 'complaints',
			organizationId: expect.stringMatching(/^org_/),
		});
		expect(email.createdAt).toBeInstanceOf(Date);
		const domain = await client.lists.create('send', 'block', { entry: 'bad.example' });
		expect(domain.entryType).toBe('domain');
		expect(await client.lists.get('send', 'block', 'spammer@example.com')).toEqual(email);
		const list = await client.lists.list('send', 'block');
		expect(list.count).toBe(2);
		expect(list.entries.map((e) => e.entry)).toEqual(['bad.example', 'spammer@example.com']);
		expect((await client.lists.list('send', 'allow')).count).toBe(0);
		expect((await client.lists.list('receive', 'block')).count).toBe(0);
		await client.lists.delete('send', 'block', 'spammer@example.com');
		await expectSdkError(client.lists.get('send', 'block', 'spammer@example.com'), AgentMail.NotFoundError, 404, 'not_found');
		await expectSdkError(client.lists.delete('send', 'block', 'spammer@example.com'), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('creates, gets, lists and deletes inbox-scoped entries (with pod_id and inbox_id)', async () => {
		const { client, inbox } = harness();
		const entry = await client.inboxes.lists.create(inbox, 'reply', 'allow', { entry: 'partner.com' });
		expect(entry).toMatchObject({
			entry: 'partner.com',
			direction: 'reply',
			listType: 'allow',
			entryType: 'domain',
			inboxId: inbox,
			podId: expect.stringMatching(/^pod_/),
		});
		expect(await client.inboxes.lists.get(inbox, 'reply', 'allow', 'partner.com')).toEqual(entry);
		const list = await client.inboxes.lists.list(inbox, 'reply', 'allow');
		expect(list.entries).toEqual([entry]);
		expect((await client.lists.list('reply', 'allow')).count).toBe(0);
		await client.inboxes.lists.delete(inbox, 'reply', 'allow', 'partner.com');
		expect((await client.inboxes.lists.list(inbox, 'reply', 'allow')).count).toBe(0);
		// The inbox-scoped list endpoint declares no errors, so the SDK raises its generic AgentMailError.
		await expectSdkError(client.inboxes.lists.list('ghost@agentmail.to', 'send', 'block'), AgentMailError, 404, 'not_found');
	});

	it('returns the existing entry when it is created twice', async () => {
		const { client } = harness();
		const first = await client.lists.create('send', 'allow', { entry: 'ok@example.com', reason: 'first' });
		const second = await client.lists.create('send', 'allow', { entry: 'OK@example.com', reason: 'second' });
		expect(second).toEqual(first);
		expect((await client.lists.list('send', 'allow')).count).toBe(1);
	});

	it('rejects entries that are neither an address nor a bare domain (400 ValidationError)', async () => {
		const { client } = harness();
		for (const entry of ['https://example.com', '@example.com', 'not a domain', 'example']) {
			const error = await expectSdkError(
				client.lists.create('send', 'block', { entry }),
				AgentMail.ValidationError,
				400,
				'validation_error',
			);
			expect(error.body.message).toContain('entry');
		}
	});

	it('sorts entries ascending and pages them', async () => {
		const { client } = harness();
		for (const entry of ['d.com', 'a.com', 'c@x.com', 'b.com', 'e.com']) await client.lists.create('send', 'block', { entry });
		const first = await client.lists.list('send', 'block', { limit: 2 });
		expect(first.entries.map((e) => e.entry)).toEqual(['a.com', 'b.com']);
		const second = await client.lists.list('send', 'block', { limit: 2, pageToken: first.nextPageToken });
		expect(second.entries.map((e) => e.entry)).toEqual(['c@x.com', 'd.com']);
		const third = await client.lists.list('send', 'block', { limit: 2, pageToken: second.nextPageToken });
		expect(third.entries.map((e) => e.entry)).toEqual(['e.com']);
		expect(third.nextPageToken).toBeUndefined();
	});

	it('a send-block entry stops a send with 403 MessageRejectedError naming the recipient, entry and DELETE path', async () => {
		const { client, inbox } = harness();
		await client.lists.create('send', 'block', { entry: 'blocked.com' });
		const error = await expectSdkError(
			client.inboxes.messages.send(inbox, { to: ['ok@fine.com', 'eve@blocked.com'], text: 'x' }),
			AgentMail.MessageRejectedError,
			403,
			'message_rejected',
		);
		expect(error.body.name).toBe('MessageRejectedError');
		expect(error.body.message).toContain('eve@blocked.com');
		expect(error.body.message).toContain('block list');
		expect(error.body.fix).toBe(
			'Remove the block entry "blocked.com" with DELETE /v0/lists/send/block/blocked.com, or send to another recipient.',
		);
		expect(await outbox(harness())).toEqual([]);
	});

	it('an inbox-scoped block names the inbox-scoped DELETE path; replies are checked too', async () => {
		const h = harness();
		const sent = await h.client.inboxes.messages.send(h.inbox, { to: 'bob@example.com', text: 'first' });
		await h.client.inboxes.lists.create(h.inbox, 'send', 'block', { entry: 'bob@example.com' });
		const error = await expectSdkError(
			h.client.inboxes.messages.reply(h.inbox, sent.messageId, { text: 'second' }),
			AgentMail.MessageRejectedError,
			403,
			'message_rejected',
		);
		expect(error.body.fix).toContain('DELETE /v0/inboxes/agent%40agentmail.to/lists/send/block/bob%40example.com');
		expect((await outbox(h)).length).toBe(1);
	});

	it('an active allow list rejects unlisted recipients and points at POST .../lists/send/allow', async () => {
		const { client, inbox } = harness();
		await client.lists.create('send', 'allow', { entry: 'partner.com' });
		const ok = await client.inboxes.messages.send(inbox, { to: 'anyone@partner.com', text: 'x' });
		expect(ok.messageId).toMatch(/^</);
		const error = await expectSdkError(
			client.inboxes.messages.send(inbox, { to: 'stranger@else.com', text: 'x' }),
			AgentMail.MessageRejectedError,
			403,
			'message_rejected',
		);
		expect(error.body.message).toContain('stranger@else.com');
		expect(error.body.message).toContain('allow list');
		expect(error.body.fix).toContain('POST /v0/lists/send/allow');
	});
});
