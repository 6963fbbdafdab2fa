/** Inboxes through the official SDK. */
import { AgentMail, AgentMailError } from 'agentmail';
import { expectSdkError, useSandbox } from './helpers';

const harness = useSandbox();

describe('inboxes (SDK)', () => {
	it('lists the seeded inbox with every Inbox field', async () => {
		const { client, inbox } = harness();
		const list = await client.inboxes.list();
		expect(list.count).toBe(1);
		expect(list.limit).toBe(100);
		expect(list.nextPageToken).toBeUndefined();
		const [seeded] = list.inboxes;
		expect(seeded.inboxId).toBe('agent@agentmail.to');
		expect(seeded.inboxId).toBe(inbox);
		expect(seeded.email).toBe('agent@agentmail.to');
		expect(seeded.displayName).toBe('Sandbox Agent');
		expect(seeded.podId).toMatch(/^pod_/);
		expect(seeded.createdAt).toBeInstanceOf(Date);
		expect(seeded.updatedAt).toBeInstanceOf(Date);
	});

	it('creates an inbox from username, domain and display name, and gets it by its address', async () => {
		const { client } = harness();
		const created = await client.inboxes.create({ username: 'Sales', domain: 'example.org', displayName: 'Sales Bot' });
		expect(created.inboxId).toBe('sales@example.org');
		expect(created.email).toBe('sales@example.org');
		expect(created.displayName).toBe('Sales Bot');
		const fetched = await client.inboxes.get('sales@example.org');
		expect(fetched).toEqual(created);
	});

	it('defaults the domain to agentmail.to and the username to a random one', async () => {
		const { client } = harness();
		const named = await client.inboxes.create({ username: 'support' });
		expect(named.email).toBe('support@agentmail.to');
		const random = await client.inboxes.create();
		expect(random.email).toMatch(/^inbox-[a-z0-9]{10}@agentmail\.to$/);
	});

	it('returns the original inbox for a repeated client_id', async () => {
		const { client } = harness();
		const first = await client.inboxes.create({ username: 'idem', clientId: 'inbox-create-1' });
		const second = await client.inboxes.create({ username: 'other-name', clientId: 'inbox-create-1' });
		expect(second.inboxId).toBe(first.inboxId);
		expect(second.clientId).toBe('inbox-create-1');
		expect((await client.inboxes.list()).count).toBe(2);
	});

	it('orders inboxes by created_at, newest first, ascending=true reverses', async () => {
		const { client } = harness();
		await client.inboxes.create({ username: 'second' });
		await client.inboxes.create({ username: 'third' });
		const newest = await client.inboxes.list();
		expect(newest.inboxes.map((i) => i.inboxId)).toEqual([
			'third@agentmail.to',
			'second@agentmail.to',
			'agent@agentmail.to',
		]);
		const oldest = await client.inboxes.list({ ascending: true });
		expect(oldest.inboxes.map((i) => i.inboxId)).toEqual([
			'agent@agentmail.to',
			'second@agentmail.to',
			'third@agentmail.to',
		]);
	});

	it('pages through inboxes with limit and pageToken', async () => {
		const { client, http } = harness();
		await http.post('/_sandbox/seed', { count: 4 });
		const first = await client.inboxes.list({ limit: 3 });
		expect(first.count).toBe(3);
		expect(first.nextPageToken).toEqual(expect.any(String));
		const second = await client.inboxes.list({ limit: 3, pageToken: first.nextPageToken });
		expect(second.count).toBe(2);
		expect(second.nextPageToken).toBeUndefined();
		const all = [...first.inboxes, ...second.inboxes].map((i) => i.inboxId);
		expect(new Set(all).size).toBe(5);
	});

	it('updates display name and merges metadata', async () => {
		const { client, inbox } = harness();
		await client.inboxes.update(inbox, { metadata: { team: 'sales', tier: 1 } });
		const updated = await client.inboxes.update(inbox, { displayName: 'Renamed', metadata: { tier: null, region: 'eu' } });
		expect(updated.displayName).toBe('Renamed');
		expect(updated.metadata).toEqual({ team: 'sales', region: 'eu' });
	});

	it('raises NotFoundError for an unknown inbox and after deleting one', async () => {
		const { client } = harness();
		const missing = await expectSdkError(client.inboxes.get('nobody@agentmail.to'), AgentMail.NotFoundError, 404, 'not_found');
		expect(missing.body.message).toBe('Inbox not found');
		await client.inboxes.create({ username: 'temp' });
		await client.inboxes.delete('temp@agentmail.to');
		await expectSdkError(client.inboxes.get('temp@agentmail.to'), AgentMail.NotFoundError, 404, 'not_found');
	});

	it('rejects a taken address (403 resource_taken) and a bad username (400 ValidationError)', async () => {
		const { client } = harness();
		const taken = await expectSdkError(client.inboxes.create({ username: 'agent' }), AgentMailError, 403, 'resource_taken');
		expect(taken.body.name).toBe('IsTakenError');
		const bad = await expectSdkError(
			client.inboxes.create({ username: 'no spaces allowed' }),
			AgentMail.ValidationError,
			400,
			'validation_error',
		);
		expect(bad.body.message).toContain('username');
	});
});
