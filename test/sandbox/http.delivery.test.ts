/** Local delivery: mail between sandbox inboxes runs a whole conversation locally. */
import { enc, outbox, useSandbox, type Harness } from './helpers';

const harness = useSandbox();

async function messages(h: Harness, inbox: string, query = '') {
	const res = await h.api.get(`/v0/inboxes/${enc(inbox)}/messages${query}`);
	expect(res.status).toBe(200);
	return res.data.messages as Array<{ message_id: string; thread_id: string; labels: string[]; subject?: string; bcc?: string[] }>;
}

describe('delivery into sandbox inboxes', () => {
	it('a message to a sandbox inbox lands there as received + unread; bcc stays hidden', async () => {
		const h = harness();
		await h.api.post('/v0/inboxes', { username: 'customer', display_name: 'Customer' });
		const sent = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, {
			to: 'Customer <customer@agentmail.to>',
			bcc: 'audit@example.com',
			subject: 'Welcome',
			text: 'Hi!',
		});
		const [received] = await messages(h, 'customer@agentmail.to');
		expect(received).toMatchObject({ message_id: sent.data.message_id, labels: ['received', 'unread'], subject: 'Welcome' });
		expect(received.bcc).toBeUndefined();
		expect(received.thread_id).not.toBe(sent.data.thread_id);
		const full = (await h.api.get(`/v0/inboxes/${enc('customer@agentmail.to')}/messages/${enc(sent.data.message_id)}`)).data;
		expect(full.from).toBe('Sandbox Agent <agent@agentmail.to>');
		expect(full.text).toBe('Hi!');
		expect((await outbox(h))[0].delivered_to).toEqual(['customer@agentmail.to']);
	});

	it('replies travel back into the same threads on both sides', async () => {
		const h = harness();
		await h.api.post('/v0/inboxes', { username: 'customer' });
		const customer = 'customer@agentmail.to';
		const first = (await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: customer, subject: 'Offer', text: '1' })).data;
		const [atCustomer] = await messages(h, customer);
		const answer = (
			await h.api.post(`/v0/inboxes/${enc(customer)}/messages/${enc(atCustomer.message_id)}/reply`, { text: 'Interested' })
		).data;
		expect(answer.thread_id).toBe(atCustomer.thread_id);
		const agentSide = await messages(h, h.inbox);
		expect(agentSide.map((m) => [m.subject, m.labels, m.thread_id])).toEqual([
			['Re: Offer', ['received', 'unread'], first.thread_id],
			['Offer', ['sent'], first.thread_id],
		]);
		const third = (
			await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/${enc(answer.message_id)}/reply`, { text: 'Great' })
		).data;
		expect(third.thread_id).toBe(first.thread_id);
		const customerSide = await messages(h, customer);
		expect(new Set(customerSide.map((m) => m.thread_id))).toEqual(new Set([atCustomer.thread_id]));
		expect(customerSide).toHaveLength(3);
	});

	it("the recipient's receive block list stores the mail as blocked, hidden from lists by default", async () => {
		const h = harness();
		await h.api.post('/v0/inboxes', { username: 'guarded' });
		await h.api.post(`/v0/inboxes/${enc('guarded@agentmail.to')}/lists/receive/block`, { entry: 'agentmail.to' });
		const sent = await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: 'guarded@agentmail.to', text: 'x' });
		expect(sent.status).toBe(200);
		expect(await messages(h, 'guarded@agentmail.to')).toEqual([]);
		const blocked = await messages(h, 'guarded@agentmail.to', '?include_blocked=true');
		expect(blocked.map((m) => m.labels)).toEqual([['received', 'blocked']]);
	});

	it('mail to the sending inbox itself is one message with sent and received labels', async () => {
		const h = harness();
		const sent = (await h.api.post(`/v0/inboxes/${enc(h.inbox)}/messages/send`, { to: h.inbox, text: 'note to self' })).data;
		const all = await messages(h, h.inbox);
		expect(all).toHaveLength(1);
		expect(all[0]).toMatchObject({ message_id: sent.message_id, labels: ['sent', 'received', 'unread'] });
	});
});
