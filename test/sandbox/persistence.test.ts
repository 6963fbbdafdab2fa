/** --data FILE: state survives a restart; writes are atomic. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../sandbox';
import { enc, startHarness } from './helpers';

let dir: string;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentmail-sandbox-'));
});

afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

describe('persistence', () => {
	it('reloads inboxes, drafts, messages, list entries, idempotency keys and the outbox after a restart', async () => {
		const dataFile = join(dir, 'nested', 'state.json');
		const first = await startHarness({ dataFile, persistDebounceMs: 10 });
		await first.api.post('/v0/inboxes', { username: 'kept', client_id: 'kept-inbox' });
		const draft = (await first.api.post(`/v0/inboxes/${enc(first.inbox)}/drafts`, { subject: 'survives', labels: ['review'] })).data;
		const sent = (
			await first.api.post(`/v0/inboxes/${enc(first.inbox)}/messages/send`, { to: 'bob@example.com', text: 'hi' }, {
				headers: { 'Idempotency-Key': 'persisted-key' },
			})
		).data;
		await first.api.post('/v0/lists/send/block', { entry: 'blocked.com', reason: 'spam' });
		const organization = (await first.http.get('/_sandbox/health')).data.organization_id;
		await first.sandbox.close();
		expect(existsSync(dataFile)).toBe(true);
		expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
		expect(JSON.parse(readFileSync(dataFile, 'utf8')).version).toBe(1);

		const second = await startHarness({ dataFile });
		try {
			expect((await second.http.get('/_sandbox/health')).data.organization_id).toBe(organization);
			const inboxes = (await second.api.get('/v0/inboxes')).data.inboxes.map((i: { inbox_id: string }) => i.inbox_id);
			expect(inboxes).toEqual(['kept@agentmail.to', 'agent@agentmail.to']);
			const restored = (await second.api.get(`/v0/drafts/${encodeURIComponent(draft.draft_id)}`)).data;
			expect(restored).toMatchObject({ subject: 'survives', labels: ['review'] });
			const message = (await second.api.get(`/v0/inboxes/${enc(second.inbox)}/messages/${enc(sent.message_id)}`)).data;
			expect(message.text).toBe('hi');
			expect((await second.api.get(`/v0/lists/send/block/blocked.com`)).data.reason).toBe('spam');
			const replay = await second.api.post(
				`/v0/inboxes/${enc(second.inbox)}/messages/send`,
				{ to: 'bob@example.com', text: 'hi' },
				{ headers: { 'Idempotency-Key': 'persisted-key' } },
			);
			expect(replay.data).toEqual(sent);
			expect((await second.http.get('/_sandbox/outbox')).data.messages).toHaveLength(1);
		} finally {
			await second.sandbox.close();
		}
	});

	it('keeps state in memory only without a data file', async () => {
		const first = await startHarness();
		await first.api.post('/v0/inboxes', { username: 'gone' });
		await first.sandbox.close();
		const second = await startHarness();
		try {
			expect((await second.api.get('/v0/inboxes')).data.count).toBe(1);
		} finally {
			await second.sandbox.close();
		}
	});

	it('a draft saved mid-send comes back scheduled rather than stuck in sending', async () => {
		const dataFile = join(dir, 'state.json');
		const first = await startHarness({ dataFile });
		const sendAt = new Date(Date.now() + 60_000).toISOString();
		const draft = (await first.api.post(`/v0/inboxes/${enc(first.inbox)}/drafts`, { to: ['bob@example.com'], send_at: sendAt })).data;
		await first.sandbox.close();
		const saved = JSON.parse(readFileSync(dataFile, 'utf8'));
		saved.drafts[0].send_status = 'sending';
		writeFileSync(dataFile, JSON.stringify(saved));
		const second = await startHarness({ dataFile });
		try {
			const restored = (await second.api.get(`/v0/drafts/${encodeURIComponent(draft.draft_id)}`)).data;
			expect(restored).toMatchObject({ send_status: 'scheduled', send_at: sendAt });
		} finally {
			await second.sandbox.close();
		}
	});

	it('refuses to start on a corrupt data file instead of overwriting it', async () => {
		const dataFile = join(dir, 'broken.json');
		writeFileSync(dataFile, '{"version": 1, "inbo');
		await expect(startSandbox({ port: 0, dataFile })).rejects.toThrow(/not valid JSON/);
		expect(readFileSync(dataFile, 'utf8')).toBe('{"version": 1, "inbo');
	});
});
