/**
 * Draft operations of the AgentMail node (create, get, list, update, send,
 * delete, listOrg), run from dist through n8n-core against the sandbox.
 */
import type { IDataObject, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import {
	FUTURE,
	FUTURE_2,
	addresses,
	am,
	byId,
	createDraft,
	enc,
	expectNoRequests,
	expectOperationError,
	header,
	inbound,
	inboxPath,
	itemWithFiles,
	readDraft,
	runWith,
	seedInboxes,
} from './helpers';

const getEnv = useNodeEnv();

const draft = (operation: string, params: INodeParameters = {}): INodeParameters => ({
	resource: 'draft',
	operation,
	...params,
});

describe('draft: create', () => {
	it('creates a draft with every field and outputs draft_id, send_status "" and the complete Draft', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Create',
				draft('create', {
					inboxId: byId(env.inbox),
					to: 'Customer <customer@example.com>, "Doe, Jane" <jane@example.com>',
					subject: 'Your order',
					text: 'Hello there',
					additionalFields: {
						cc: 'cc@example.com',
						bcc: 'audit@example.com',
						replyTo: 'support@example.com',
						html: '<p>Hello there</p>',
						labels: 'needs-review, vip, needs-review',
						clientId: 'order-1234',
					},
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [out] = run.output('Create');
		expect(out.pairedItem).toEqual({ item: 0 });

		const [request] = await env.requests();
		expect(request.method).toBe('POST');
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/drafts`);
		expect(request.body).toEqual({
			to: ['Customer <customer@example.com>', '"Doe, Jane" <jane@example.com>'],
			cc: ['cc@example.com'],
			bcc: ['audit@example.com'],
			reply_to: ['support@example.com'],
			subject: 'Your order',
			text: 'Hello there',
			html: '<p>Hello there</p>',
			labels: ['needs-review', 'vip'],
			client_id: 'order-1234',
		});

		const stored = await readDraft(env, out.json.draft_id as string);
		expect(stored.status).toBe(200);
		expect(out.json).toEqual({ draft_id: stored.data.draft_id, send_status: '', result: stored.data });
		expect(stored.data).toMatchObject({
			inbox_id: env.inbox,
			client_id: 'order-1234',
			subject: 'Your order',
			text: 'Hello there',
			html: '<p>Hello there</p>',
			labels: ['needs-review', 'vip'],
			cc: ['cc@example.com'],
			bcc: ['audit@example.com'],
		});
		expect(stored.data.send_at).toBeUndefined();
	});

	it('schedules the draft with Send At: send_status "scheduled", send_at in UTC', async () => {
		const env = getEnv();
		const run = await env.run([
			am(
				'Create',
				draft('create', {
					inboxId: byId(env.inbox),
					to: 'customer@example.com',
					subject: 'Later',
					text: 'Scheduled body',
					additionalFields: { sendAt: '2099-06-01T11:00:00+02:00' },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [out] = run.json('Create');
		expect(out.send_status).toBe('scheduled');
		expect((await env.requests())[0].body).toMatchObject({ send_at: FUTURE });

		const stored = await readDraft(env, out.draft_id as string);
		expect(stored.data.send_at).toBe(FUTURE);
		expect(stored.data.send_status).toBe('scheduled');
		expect(stored.data.labels).toContain('scheduled');
		expect(out.result).toEqual(stored.data);
		expect(await env.outbox()).toEqual([]);
	});

	it('Send At picked as wall time is read in the workflow time zone', async () => {
		const env = getEnv();
		const createIn = (sendAt: string) =>
			runWith(
				env,
				[am('Create', draft('create', { inboxId: byId(env.inbox), to: 'a@example.com', additionalFields: { sendAt } }))],
				{ settings: { executionOrder: 'v1', timezone: 'Europe/Berlin' } },
			);
		const summer = await createIn('2099-06-01T11:00:00'); // CEST, UTC+2
		const winter = await createIn('2099-01-15T10:00'); // CET, UTC+1
		expect(summer.status).toBe('success');
		expect(winter.status).toBe('success');
		expect((summer.json('Create')[0].result as IDataObject).send_at).toBe(FUTURE);
		expect((winter.json('Create')[0].result as IDataObject).send_at).toBe('2099-01-15T09:00:00.000Z');
	});

	// `={{ $now.plus({ days: 1 }) }}` without .toISO() cannot be run here: inside jest the
	// isolated-vm engine hands the node an un-rebuilt {__n8nType: 'DateTime'} marker
	// (jest's separate JS realm defeats the runtime's plain-object check); n8n itself
	// rebuilds a luxon DateTime, which the node accepts.
	it('Send At from an expression ($now.plus(...).toISO()) schedules relative to now', async () => {
		const env = getEnv();
		const before = Date.now();
		const run = await env.run([
			am(
				'Create',
				draft('create', {
					inboxId: byId(env.inbox),
					to: 'a@example.com',
					additionalFields: { sendAt: '={{ $now.plus({ days: 1 }).toISO() }}' },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const sendAt = Date.parse((run.json('Create')[0].result as IDataObject).send_at as string);
		const day = 24 * 3600 * 1000;
		expect(sendAt).toBeGreaterThanOrEqual(before + day - 1000);
		expect(sendAt).toBeLessThanOrEqual(Date.now() + day + 1000);
		expect(run.json('Create')[0].send_status).toBe('scheduled');
	});

	it('creates a reply draft with In Reply To and no To: AgentMail takes recipients and subject from the message', async () => {
		const env = getEnv();
		const message = await inbound(env, { from: 'Customer <customer@example.com>', subject: 'Question', text: 'Hi?' });
		await env.clearRequests();
		const run = await env.run([
			am(
				'Create',
				draft('create', {
					inboxId: byId(env.inbox),
					text: 'Answer',
					additionalFields: { inReplyTo: message.message_id as string },
				}),
			),
		]);
		expect(run.status).toBe('success');
		expect((await env.requests())[0].body).toEqual({ text: 'Answer', in_reply_to: message.message_id, client_id: expect.stringMatching(/^n8n-draft-create-/) });
		const [out] = run.json('Create');
		expect((out.result as IDataObject).in_reply_to).toBe(message.message_id);
		expect((out.result as IDataObject).to).toEqual(['Customer <customer@example.com>']);
		expect((out.result as IDataObject).subject).toBe('Re: Question');
	});

	it('attaches binary properties of the input item', async () => {
		const env = getEnv();
		const run = await runWith(
			env,
			[
				am(
					'Create',
					draft('create', {
						inboxId: byId(env.inbox),
						to: 'a@example.com',
						subject: 'Your invoice',
						additionalFields: { attachments: 'invoice' },
					}),
				),
			],
			{ startItems: [itemWithFiles({ invoice: ['invoice-7.pdf', 'application/pdf', '%PDF-1.7 fake'] })] },
		);
		expect(run.status).toBe('success');
		expect((await env.requests())[0].body).toMatchObject({
			attachments: [
				{ filename: 'invoice-7.pdf', content_type: 'application/pdf', content: Buffer.from('%PDF-1.7 fake').toString('base64') },
			],
		});
		const stored = (await readDraft(env, run.json('Create')[0].draft_id as string)).data;
		expect(stored.attachments).toEqual([
			expect.objectContaining({ filename: 'invoice-7.pdf', content_type: 'application/pdf', size: 13 }),
		]);
	});

	it('uses the draft_id of the previous node by default (Create -> Get)', async () => {
		const env = getEnv();
		const run = await env.run([
			am('Create', draft('create', { inboxId: byId(env.inbox), to: 'a@example.com', subject: 'Chained', text: 'x' })),
			am('Get', draft('get', { inboxId: byId(env.inbox) })),
		]);
		expect(run.status).toBe('success');
		const created = run.json('Create')[0];
		const [got] = run.json('Get');
		expect(got.draft_id).toBe(created.draft_id);
		expect(got.subject).toBe('Chained');
		const requests = await env.requests();
		expect(requests.map((r) => `${r.method} ${r.decoded_path}`)).toEqual([
			`POST /v0/inboxes/${env.inbox}/drafts`,
			`GET /v0/inboxes/${env.inbox}/drafts/${created.draft_id}`,
		]);
	});
});

describe('draft: get', () => {
	it('outputs draft_id, subject, send_status, send_at and the complete Draft of a scheduled draft', async () => {
		const env = getEnv();
		const created = await createDraft(env, { to: ['a@example.com'], subject: 'Plan', text: 'body', send_at: FUTURE });
		await env.clearRequests();
		const run = await env.run([
			am('Get', draft('get', { inboxId: byId(env.inbox), draftId: byId(created.draft_id as string) })),
		]);
		expect(run.status).toBe('success');
		const stored = (await readDraft(env, created.draft_id as string)).data;
		expect(run.json('Get')).toEqual([
			{ draft_id: created.draft_id, subject: 'Plan', send_status: 'scheduled', send_at: FUTURE, result: stored },
		]);
		expect(stored.text).toBe('body');
	});

	it('gives send_status "" and send_at null for an unscheduled draft, subject "" when it has none', async () => {
		const env = getEnv();
		const created = await createDraft(env, { to: ['a@example.com'], text: 'no subject' });
		const run = await env.run([
			am('Get', draft('get', { inboxId: byId(env.inbox), draftId: byId(created.draft_id as string) })),
		]);
		const [out] = run.json('Get');
		expect(out).toMatchObject({ draft_id: created.draft_id, subject: '', send_status: '', send_at: null });
		expect((out.result as IDataObject).text).toBe('no subject');
	});
});

describe('draft: list', () => {
	async function threeDrafts() {
		const env = getEnv();
		const d1 = await createDraft(env, { to: ['one@example.com'], subject: 'one', text: '1' });
		const d2 = await createDraft(env, { to: ['two@example.com'], subject: 'two', text: '2', send_at: FUTURE });
		const d3 = await createDraft(env, { to: ['three@example.com'], subject: 'three', text: '3', labels: ['vip'] });
		await env.clearRequests();
		return { env, d1, d2, d3 };
	}

	it('outputs one item per draft summary, newest first (Return All)', async () => {
		const { env, d1, d2, d3 } = await threeDrafts();
		const summaries = (await env.api.get(`${inboxPath(env)}/drafts`)).data.drafts as IDataObject[];
		await env.clearRequests();
		const run = await env.run([am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true }))]);
		expect(run.status).toBe('success');
		expect(run.json('List')).toEqual(summaries);
		expect(run.json('List').map((d) => d.draft_id)).toEqual([d3.draft_id, d2.draft_id, d1.draft_id]);
		expect(run.output('List').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		// summaries: no body
		expect(run.json('List')[0].text).toBeUndefined();
		expect(run.json('List')[0].subject).toBe('three');
	});

	it('stops at Limit', async () => {
		const { env, d2, d3 } = await threeDrafts();
		const run = await env.run([am('List', draft('list', { inboxId: byId(env.inbox), returnAll: false, limit: 2 }))]);
		expect(run.json('List').map((d) => d.draft_id)).toEqual([d3.draft_id, d2.draft_id]);
		const logged = await env.requests();
		expect(logged).toHaveLength(1);
		expect(logged[0].query).toEqual({ limit: '2' });
	});

	it('Return All follows next_page_token past 100 drafts', async () => {
		const env = getEnv();
		for (let i = 0; i < 105; i++) await createDraft(env, { to: ['bulk@example.com'], subject: `bulk ${i}` });
		await env.clearRequests();
		const run = await env.run([am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true }))]);
		const drafts = run.json('List');
		expect(drafts).toHaveLength(105);
		expect(new Set(drafts.map((d) => d.draft_id)).size).toBe(105);
		expect(drafts[0].subject).toBe('bulk 104');
		expect(drafts[104].subject).toBe('bulk 0');
		const logged = await env.requests();
		expect(logged).toHaveLength(2);
		expect(logged[0].query).toEqual({ limit: '100' });
		expect(logged[1].query).toEqual({ limit: '100', page_token: expect.any(String) });
	});

	it('filters by label: "scheduled" gives only the scheduled draft', async () => {
		const { env, d2 } = await threeDrafts();
		const run = await env.run([
			am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true, filters: { labels: 'scheduled' } })),
		]);
		expect(run.json('List').map((d) => d.draft_id)).toEqual([d2.draft_id]);
		expect(run.json('List')[0]).toMatchObject({ send_status: 'scheduled', send_at: FUTURE });
		expect((await env.requests())[0].query).toMatchObject({ labels: '["scheduled"]' });
	});

	it('filters by before/after (exclusive) and sorts ascending', async () => {
		const { env, d1, d2, d3 } = await threeDrafts();
		const between = await env.run([
			am(
				'List',
				draft('list', {
					inboxId: byId(env.inbox),
					returnAll: true,
					filters: { after: d1.updated_at as string, before: d3.updated_at as string },
				}),
			),
		]);
		expect(between.json('List').map((d) => d.draft_id)).toEqual([d2.draft_id]);
		expect((await env.requests())[0].query).toMatchObject({ after: d1.updated_at, before: d3.updated_at });

		const ascending = await env.run([
			am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true, filters: { ascending: true } })),
		]);
		expect(ascending.json('List').map((d) => d.draft_id)).toEqual([d1.draft_id, d2.draft_id, d3.draft_id]);

		const afterOnly = await env.run([
			am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true, filters: { after: d2.updated_at as string } })),
		]);
		expect(afterOnly.json('List').map((d) => d.draft_id)).toEqual([d3.draft_id]);
	});

	it('"Output a Single Item" gives {drafts, count, next_page_token}; Page Cursor reads the next page', async () => {
		const { env, d1, d2, d3 } = await threeDrafts();
		const first = await env.run([
			am('List', draft('list', { inboxId: byId(env.inbox), limit: 2, options: { singleItem: true } })),
		]);
		expect(first.status).toBe('success');
		const page1 = first.json('List');
		expect(page1).toHaveLength(1);
		expect(Object.keys(page1[0]).sort()).toEqual(['count', 'drafts', 'next_page_token']);
		expect(page1[0].count).toBe(2);
		expect((page1[0].drafts as IDataObject[]).map((d) => d.draft_id)).toEqual([d3.draft_id, d2.draft_id]);
		expect(page1[0].next_page_token).toEqual(expect.any(String));

		const second = await env.run([
			am(
				'List',
				draft('list', {
					inboxId: byId(env.inbox),
					limit: 2,
					options: { singleItem: true, pageCursor: page1[0].next_page_token as string },
				}),
			),
		]);
		expect(second.json('List')).toEqual([
			{ drafts: [expect.objectContaining({ draft_id: d1.draft_id })], count: 1, next_page_token: null },
		]);
		const logged = await env.requests();
		expect(logged).toHaveLength(2);
		expect(logged[1].query).toEqual({ limit: '2', page_token: page1[0].next_page_token });
	});

	it('"Output a Single Item" of an empty inbox: drafts [], count 0, next_page_token null', async () => {
		const env = getEnv();
		const run = await env.run([
			am('List', draft('list', { inboxId: byId(env.inbox), returnAll: true, options: { singleItem: true } })),
		]);
		expect(run.json('List')).toEqual([{ drafts: [], count: 0, next_page_token: null }]);
		expect((await env.requests())[0].query).toEqual({ limit: '100' });
	});
});

describe('draft: update', () => {
	async function existing(extra: IDataObject = {}) {
		const env = getEnv();
		const created = await createDraft(env, {
			to: ['a@example.com'],
			cc: ['c@example.com'],
			subject: 'Old subject',
			text: 'Old text',
			html: '<p>Old</p>',
			labels: ['keep', 'drop-me'],
			...extra,
		});
		await env.clearRequests();
		return { env, id: created.draft_id as string };
	}

	const update = (env: ReturnType<typeof getEnv>, id: string, updateFields: INodeParameters) =>
		env.run([am('Update', draft('update', { inboxId: byId(env.inbox), draftId: byId(id), updateFields }))]);

	it('sends only the fields that were added', async () => {
		const { env, id } = await existing();
		const run = await update(env, id, { subject: 'New subject' });
		expect(run.status).toBe('success');
		const [request] = await env.requests();
		expect(request.method).toBe('PATCH');
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/drafts/${id}`);
		expect(request.body).toEqual({ subject: 'New subject' });
		const stored = (await readDraft(env, id)).data;
		expect(run.json('Update')).toEqual([{ draft_id: id, send_status: '', result: stored }]);
		expect(stored).toMatchObject({ subject: 'New subject', text: 'Old text', html: '<p>Old</p>', cc: ['c@example.com'] });
	});

	it('a field added but left empty is sent as null and clears it', async () => {
		const { env, id } = await existing();
		const run = await update(env, id, { text: '', cc: '', to: 'new@example.com, other@example.com' });
		expect(run.status).toBe('success');
		expect((await env.requests())[0].body).toEqual({
			to: ['new@example.com', 'other@example.com'],
			cc: null,
			text: null,
		});
		const stored = (await readDraft(env, id)).data;
		expect(stored.text).toBeUndefined();
		expect(stored.cc).toBeUndefined();
		expect(stored.to).toEqual(['new@example.com', 'other@example.com']);
		expect(stored.html).toBe('<p>Old</p>');
		expect(stored.subject).toBe('Old subject');
	});

	it('Send At left empty unschedules the draft (send_at: null) and keeps it', async () => {
		const { env, id } = await existing({ send_at: FUTURE });
		const run = await update(env, id, { sendAt: '' });
		expect(run.status).toBe('success');
		expect((await env.requests())[0].body).toEqual({ send_at: null });
		const [out] = run.json('Update');
		expect(out.send_status).toBe('');
		const stored = (await readDraft(env, id)).data;
		expect(stored.send_at).toBeUndefined();
		expect(stored.labels).not.toContain('scheduled');
		expect(stored.subject).toBe('Old subject');
	});

	it('reschedules with a new Send At and adds/removes labels', async () => {
		const { env, id } = await existing({ send_at: FUTURE });
		const run = await update(env, id, { sendAt: FUTURE_2, addLabels: 'approved, urgent', removeLabels: 'drop-me' });
		expect(run.status).toBe('success');
		expect((await env.requests())[0].body).toEqual({
			send_at: FUTURE_2,
			add_labels: ['approved', 'urgent'],
			remove_labels: ['drop-me'],
		});
		const [out] = run.json('Update');
		expect(out.send_status).toBe('scheduled');
		const stored = (await readDraft(env, id)).data;
		expect(stored.send_at).toBe(FUTURE_2);
		expect([...(stored.labels as string[])].sort()).toEqual(['approved', 'keep', 'scheduled', 'urgent']);
	});
});

describe('draft: send', () => {
	it('sends the draft: message_id, thread_id, draft_id, result; the draft is gone and the message is in the outbox', async () => {
		const env = getEnv();
		const created = await createDraft(env, {
			to: ['customer@example.com'],
			subject: 'Approved reply',
			text: 'Here you go',
			labels: ['pending-approval'],
		});
		await env.clearRequests();
		const run = await env.run([
			am(
				'Send',
				draft('send', {
					inboxId: byId(env.inbox),
					draftId: byId(created.draft_id as string),
					options: { addLabels: 'approved', removeLabels: 'pending-approval' },
				}),
			),
		]);
		expect(run.status).toBe('success');
		const [out] = run.json('Send');
		const outbox = await env.outbox();
		expect(outbox).toHaveLength(1);
		const [sent] = outbox;
		expect(out).toEqual({
			message_id: sent.message_id,
			thread_id: sent.thread_id,
			draft_id: created.draft_id,
			result: { message_id: sent.message_id, thread_id: sent.thread_id },
		});
		expect(sent).toMatchObject({
			via: 'draft',
			draft_id: created.draft_id,
			to: ['customer@example.com'],
			subject: 'Approved reply',
			text: 'Here you go',
		});
		expect([...(sent.labels as string[])].sort()).toEqual(['approved', 'sent']);

		const [request] = await env.requests();
		expect(request.decoded_path).toBe(`/v0/inboxes/${env.inbox}/drafts/${created.draft_id}/send`);
		expect(request.body).toEqual({ add_labels: ['approved'], remove_labels: ['pending-approval'] });
		expect(header(request, 'idempotency-key')).toMatch(/^n8n-draft-send-[0-9a-f]{40}$/);
		expect(sent.idempotency_key).toBe(header(request, 'idempotency-key'));

		expect((await readDraft(env, created.draft_id as string)).status).toBe(404);
	});
});

describe('draft: delete', () => {
	it('outputs {draft_id, success: true} and the draft is gone', async () => {
		const env = getEnv();
		const created = await createDraft(env, { to: ['a@example.com'], subject: 'bye' });
		await env.clearRequests();
		const run = await env.run([
			am('Delete', draft('delete', { inboxId: byId(env.inbox), draftId: byId(created.draft_id as string) })),
		]);
		expect(run.status).toBe('success');
		expect(run.json('Delete')).toEqual([{ draft_id: created.draft_id, success: true }]);
		const [request] = await env.requests();
		expect(request.method).toBe('DELETE');
		expect(request.status).toBe(204);
		expect((await readDraft(env, created.draft_id as string)).status).toBe(404);
	});

	it('a deleted scheduled draft never sends (a kept one does)', async () => {
		const env = getEnv();
		const sendAt = new Date(Date.now() + 1500).toISOString();
		const kept = await createDraft(env, { to: ['kept@example.com'], subject: 'kept', text: 'k', send_at: sendAt });
		const doomed = await createDraft(env, { to: ['doomed@example.com'], subject: 'doomed', text: 'd', send_at: sendAt });
		const run = await env.run([
			am('Delete', draft('delete', { inboxId: byId(env.inbox), draftId: byId(doomed.draft_id as string) })),
		]);
		expect(run.json('Delete')).toEqual([{ draft_id: doomed.draft_id, success: true }]);
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(sendAt) - Date.now()) + 100));
		await env.admin.post('/_sandbox/scheduler/run');
		const outbox = await env.outbox();
		expect(outbox.map((m) => m.subject)).toEqual(['kept']);
		expect(outbox[0]).toMatchObject({ via: 'scheduled', draft_id: kept.draft_id, to: ['kept@example.com'] });
		expect((await readDraft(env, doomed.draft_id as string)).status).toBe(404);
	});
});

describe('draft: listOrg', () => {
	it('lists the drafts of every inbox in the organization', async () => {
		const env = getEnv();
		const [other] = await seedInboxes(env, 1);
		const mine = await createDraft(env, { to: ['a@example.com'], subject: 'mine', labels: ['pending-approval'] });
		const theirs = await createDraft(
			env,
			{ to: ['b@example.com'], subject: 'theirs', labels: ['pending-approval'] },
			other.inbox_id as string,
		);
		await createDraft(env, { to: ['c@example.com'], subject: 'not pending' }, other.inbox_id as string);
		await env.clearRequests();

		const all = await env.run([am('Org', draft('listOrg', { returnAll: true }))]);
		expect(all.status).toBe('success');
		expect(all.json('Org').map((d) => [d.inbox_id, d.subject])).toEqual([
			[other.inbox_id, 'not pending'],
			[other.inbox_id, 'theirs'],
			[env.inbox, 'mine'],
		]);
		expect((await env.requests())[0].decoded_path).toBe('/v0/drafts');

		const pending = await env.run([
			am('Org', draft('listOrg', { returnAll: true, filters: { labels: 'pending-approval' } })),
		]);
		expect(pending.json('Org').map((d) => d.draft_id)).toEqual([theirs.draft_id, mine.draft_id]);

		const single = await env.run([am('Org', draft('listOrg', { limit: 1, options: { singleItem: true } }))]);
		expect(single.json('Org')).toEqual([
			{ drafts: [expect.objectContaining({ subject: 'not pending' })], count: 1, next_page_token: expect.any(String) },
		]);
	});
});

describe('draft: bad input fails the item before any request', () => {
	const inbox = () => byId(getEnv().inbox);
	const cases: Array<[string, () => INodeParameters, RegExp]> = [
		[
			'create: invalid To address',
			() => draft('create', { inboxId: inbox(), to: 'customer@example.com, bob@', text: 'x' }),
			/^To: "bob@" is not a valid email address$/,
		],
		[
			'create: invalid CC address',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { cc: 'not an address' } }),
			/^CC: "not an address" is not a valid email address$/,
		],
		[
			'create: empty recipients',
			() => draft('create', { inboxId: inbox(), to: ' , ; ', text: 'x' }),
			/^To needs at least one email address$/,
		],
		[
			'create: unparseable Send At',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { sendAt: 'next tuesday' } }),
			/^Send At: "next tuesday" is not a valid date and time$/,
		],
		[
			'create: Send At on a day that does not exist (no silent roll-over to March 2)',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { sendAt: '2099-02-30T09:00:00Z' } }),
			/^Send At: "2099-02-30T09:00:00Z" is not a valid date and time$/,
		],
		[
			'create: Send At picked as wall time with an impossible hour',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { sendAt: '2099-06-01T25:00:00' } }),
			/^Send At: "2099-06-01T25:00:00" is not a valid date and time$/,
		],
		[
			'create: Send At in the past',
			() =>
				draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { sendAt: '2020-01-01T00:00:00Z' } }),
			/^Send At: 2020-01-01T00:00:00.000Z is in the past$/,
		],
		[
			'create: more than 50 recipients across To, CC and BCC',
			() =>
				draft('create', {
					inboxId: inbox(),
					to: addresses(30),
					additionalFields: { cc: addresses(15, 'cc'), bcc: addresses(6, 'bcc') },
				}),
			/^Too many recipients: 51 across To, CC and BCC/,
		],
		[
			'create: Client ID with forbidden characters',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { clientId: 'order 1/2' } }),
			/^Client ID may hold only/,
		],
		[
			'create: attachment property missing on the item',
			() => draft('create', { inboxId: inbox(), to: 'a@example.com', additionalFields: { attachments: 'data' } }),
			/^Attachments: the input item has no binary property "data"$/,
		],
		[
			'create: inbox id ".."',
			() => draft('create', { inboxId: byId('..'), to: 'a@example.com' }),
			/^Inbox is not a valid id: it may not be "\." or "\.\."$/,
		],
		[
			'get: draft id with a line break',
			() => draft('get', { inboxId: inbox(), draftId: byId('drf_1\r\nX-Evil: 1') }),
			/^Draft is not a valid id: it may not contain control characters$/,
		],
		['get: draft id ".."', () => draft('get', { inboxId: inbox(), draftId: byId('..') }), /^Draft is not a valid id/],
		[
			'get: draft id expression that resolves to nothing (no draft_id on the input item)',
			() => draft('get', { inboxId: inbox(), draftId: byId('={{ $json.draft_id }}') }),
			/^Draft is required$/,
		],
		[
			'get: inbox id "."',
			() => draft('get', { inboxId: byId('.'), draftId: byId('drf_1') }),
			/^Inbox is not a valid id: it may not be "\." or "\.\."$/,
		],
		[
			'list: inbox id longer than 512 characters',
			() => draft('list', { inboxId: byId(`${'x'.repeat(510)}@a.to`), returnAll: true }),
			/^Inbox is not a valid id: it is longer than 512 characters$/,
		],
		[
			'list: unparseable After filter',
			() => draft('list', { inboxId: inbox(), returnAll: true, filters: { after: 'yesterday' } }),
			/^After: "yesterday" is not a valid date and time$/,
		],
		[
			'listOrg: unparseable Before filter',
			() => draft('listOrg', { returnAll: true, filters: { before: '2026-13-45' } }),
			/^Before: "2026-13-45" is not a valid date and time$/,
		],
		[
			'update: nothing to change',
			() => draft('update', { inboxId: inbox(), draftId: byId('drf_1'), updateFields: {} }),
			/^Update Fields: add at least one field to change$/,
		],
		[
			'update: Send At in the past',
			() => draft('update', { inboxId: inbox(), draftId: byId('drf_1'), updateFields: { sendAt: '2001-09-09T01:46:40Z' } }),
			/^Send At: 2001-09-09T01:46:40.000Z is in the past$/,
		],
		[
			'update: unparseable Send At',
			() => draft('update', { inboxId: inbox(), draftId: byId('drf_1'), updateFields: { sendAt: 'soon' } }),
			/^Send At: "soon" is not a valid date and time$/,
		],
		[
			'update: invalid Reply To',
			() => draft('update', { inboxId: inbox(), draftId: byId('drf_1'), updateFields: { replyTo: 'support at example.com' } }),
			/^Reply To: "support at example.com" is not a valid email address$/,
		],
		[
			'update: more than 50 recipients',
			() => draft('update', { inboxId: inbox(), draftId: byId('drf_1'), updateFields: { to: addresses(40), bcc: addresses(11, 'b') } }),
			/^Too many recipients: 51/,
		],
		[
			'update: draft id with a NUL',
			() => draft('update', { inboxId: inbox(), draftId: byId('a\u0000b'), updateFields: { subject: 'x' } }),
			/^Draft is not a valid id/,
		],
		['send: draft id ".."', () => draft('send', { inboxId: inbox(), draftId: byId('..') }), /^Draft is not a valid id/],
		[
			'delete: draft id ".."',
			() => draft('delete', { inboxId: inbox(), draftId: byId('..') }),
			/^Draft is not a valid id: it may not be "\." or "\.\."$/,
		],
	];

	it.each(cases)('%s', async (_name, params, message) => {
		const env = getEnv();
		const run = await env.run([am('Draft', params())]);
		expectOperationError(run, 'Draft', message);
		expect(run.taskData('Draft').error?.context?.itemIndex).toBe(0);
		await expectNoRequests(env);
	});
});

describe('draft: path ids are encoded, not interpreted', () => {
	it('an id with characters like "?" and "#" stays one path segment', async () => {
		const env = getEnv();
		const run = await env.run([am('Get', draft('get', { inboxId: byId(env.inbox), draftId: byId('drf?x=1#y') }))]);
		expect(run.status).toBe('error');
		const [request] = await env.requests();
		expect(request.path).toBe(`${inboxPath(env)}/drafts/${enc('drf?x=1#y')}`);
		expect(request.query).toEqual({});
		expect(request.status).toBe(404);
	});
});

describe('draft: what the editor shows (description of the built node)', () => {
	const properties = () => {
		const env = getEnv();
		const type = env.pkg.nodeTypes.getByNameAndVersion(env.pkg.nodeType('agentMail'), 1) as INodeType;
		return type.description.properties;
	};
	const forOperation = (operation: string) =>
		properties().filter(
			(p) => p.displayOptions?.show?.resource?.includes('draft') && p.displayOptions?.show?.operation?.includes(operation),
		);

	it('Update Fields: every clearable field says how to clear it, Send At how to unschedule', () => {
		const fields = forOperation('update').find((p) => p.name === 'updateFields')!;
		const options = fields.options as INodeProperties[];
		const descriptions = Object.fromEntries(options.map((o) => [o.name, o.description]));
		for (const name of ['to', 'cc', 'bcc', 'replyTo', 'subject', 'text', 'html']) {
			expect(descriptions[name]).toMatch(/Leave empty to clear it\.$/);
		}
		expect(descriptions.sendAt).toBe('New schedule time. Leave empty to unschedule (the draft is kept).');
		expect(JSON.stringify(properties())).not.toContain(' ,.');
	});

	it('Create: To is optional in the editor, because In Reply To can supply the recipients', () => {
		const to = forOperation('create').find((p) => p.name === 'to')!;
		expect(to.required).toBeFalsy();
	});
});
