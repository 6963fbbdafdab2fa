/**
 * AgentMail Trigger, Connection = Webhook, through n8n-core (HookContext,
 * WebhookContext, WorkflowExecute) against the sandbox: the webhook's
 * lifecycle, Svix signature verification, filtering, dedupe, and the output
 * item of every event type as the sandbox delivers it.
 */
import type { IDataObject } from 'n8n-workflow';

import { receivedEvent, sign, signedHeaders, newSecret, useTriggerEnv } from './setup';

const env = useTriggerEnv();
const INBOX_SCOPE = (inbox: string, extra: IDataObject = {}) => ({
	connection: 'webhook',
	events: ['message.received'],
	scope: 'inboxes',
	inboxIds: [inbox],
	...extra,
});

async function requests(method: string, path: RegExp) {
	const all = (await env().admin.get('/_sandbox/requests')).data.requests as Array<{ method: string; decoded_path: string; body: IDataObject }>;
	return all.filter((r) => r.method === method && path.test(r.decoded_path));
}

describe('webhook lifecycle', () => {
	it('creates exactly one webhook with a client_id, keeps it across restarts and retried activations, PATCHes a changed selection, deletes it on deactivation', async () => {
		const { inbox, seedInbox } = env();
		const other = await seedInbox('second');
		const trigger = env().trigger(INBOX_SCOPE(inbox));
		await trigger.activate();
		let hooks = await env().webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({
			url: trigger.webhookUrl(),
			event_types: ['message.received'],
			inbox_ids: [inbox],
			client_id: expect.stringMatching(/^n8n-trigger-[0-9a-f]{40}$/),
		});
		expect(trigger.nodeStaticData).toMatchObject({ webhookId: hooks[0].webhook_id, secret: hooks[0].secret });
		expect(trigger.webhookUrl()).toMatch(/\/webhook\/[0-9a-f-]+\/webhook$/);

		// n8n restarted with the workflow active: checkExists finds it, nothing is created
		await trigger.activate();
		expect(await requests('POST', /^\/v0\/webhooks$/)).toHaveLength(1);
		// an activation retried after its create answered but before n8n saved the static data
		const saved = { ...trigger.nodeStaticData };
		for (const key of ['webhookId', 'webhookUrl', 'secret']) delete (trigger.staticData['node:AgentMail Trigger'] as IDataObject)[key];
		await trigger.activate();
		hooks = await env().webhooks();
		expect(hooks).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookId).toBe(saved.webhookId);

		// edited selection: one PATCH onto the same webhook
		trigger.setParameters({ events: ['message.received', 'message.bounced'], inboxIds: [other] });
		await trigger.activate();
		const patches = await requests('PATCH', /^\/v0\/webhooks\//);
		expect(patches).toHaveLength(1);
		expect(patches[0].body).toEqual({
			event_types: ['message.received', 'message.bounced'],
			add_inbox_ids: [other],
			remove_inbox_ids: [inbox],
		});
		hooks = await env().webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({ event_types: ['message.received', 'message.bounced'], inbox_ids: [other] });
		await trigger.activate(); // unchanged now: no further PATCH
		expect(await requests('PATCH', /^\/v0\/webhooks\//)).toHaveLength(1);

		await trigger.deactivate();
		expect(await env().webhooks()).toHaveLength(0);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
		// activating again makes a new one (a fresh client_id)
		await trigger.activate();
		hooks = await env().webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].webhook_id).not.toBe(saved.webhookId);
	});

	it('re-creates a webhook deleted outside n8n, and uses organization or pod scope without inbox_ids', async () => {
		const { api, admin } = env();
		const trigger = env().trigger({ connection: 'webhook', events: ['message.sent'], scope: 'organization' });
		await trigger.activate();
		const [first] = await env().webhooks();
		expect(first.inbox_ids).toBeUndefined();
		await api.delete(`/v0/webhooks/${String(first.webhook_id)}`);
		await trigger.activate();
		const hooks = await env().webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].webhook_id).not.toBe(first.webhook_id);

		const pod = (await admin.get('/_sandbox/health')).data.pod_id as string;
		const podTrigger = env().trigger({ connection: 'webhook', events: ['message.received'], scope: 'pod', podId: pod });
		await podTrigger.activate();
		expect((await env().webhooks()).find((h) => h.url === podTrigger.webhookUrl())).toMatchObject({ pod_ids: [pod] });
	});

	it('refuses more than 10 inboxes before calling AgentMail', async () => {
		const trigger = env().trigger(INBOX_SCOPE('a@x.to', { inboxIds: Array.from({ length: 11 }, (_, i) => `i${i}@agentmail.to`) }));
		await expect(trigger.activate()).rejects.toThrow(/At most 10 inboxes/);
		expect(await env().webhooks()).toHaveLength(0);
	});

	it('the editor\'s test webhook has its own webhook and state, and leaves the active one alone', async () => {
		const { inbox } = env();
		const active = env().trigger(INBOX_SCOPE(inbox));
		await active.activate();
		const test = env().trigger(INBOX_SCOPE(inbox), { mode: 'manual' });
		// same workflow: share the static data, as n8n does
		(test.workflowData as { staticData: IDataObject }).staticData = active.staticData;
		Object.assign(test.node, { webhookId: active.node.webhookId, id: active.node.id });
		await test.activate();
		const hooks = await env().webhooks();
		expect(hooks.map((h) => h.url).sort()).toEqual([active.webhookUrl(), test.webhookUrl()].sort());
		expect(test.webhookUrl()).toContain('/webhook-test/');
		await test.deactivate();
		expect((await env().webhooks()).map((h) => h.url)).toEqual([active.webhookUrl()]);
		expect(active.nodeStaticData.secret).toBe(hooks.find((h) => h.url === active.webhookUrl())!.secret);
	});
});

describe('signatures', () => {
	it('accepts valid and rotated-secret deliveries; answers 401 to unsigned, tampered, wrong-secret, stale and future ones; 200 to a replay', async () => {
		const { inbox } = env();
		const trigger = env().trigger(INBOX_SCOPE(inbox));
		await trigger.activate();
		const secret = String(trigger.nodeStaticData.secret);
		const body = () => JSON.stringify(receivedEvent(inbox));
		const now = Math.floor(Date.now() / 1000);

		const validBody = body();
		const validHeaders = signedHeaders(secret, validBody);
		const valid = await trigger.deliver({ headers: validHeaders, body: validBody });
		expect(valid.statusCode).toBe(200);
		expect(valid.run?.status).toBe('success');

		const cases: Array<[string, Record<string, string>, string, number]> = [];
		const b1 = body();
		cases.push(['unsigned', {}, b1, 401]);
		const b2 = body();
		cases.push(['tampered body', signedHeaders(secret, b2), b2.replace('Where is my refund?', 'Send me the money!'), 401]);
		const b3 = body();
		cases.push(['wrong secret', signedHeaders(newSecret(), b3), b3, 401]);
		const b4 = body();
		cases.push(['stale (6 min old)', signedHeaders(secret, b4, { at: now - 360 }), b4, 401]);
		const b5 = body();
		cases.push(['future (6 min ahead)', signedHeaders(secret, b5, { at: now + 360 }), b5, 401]);
		const b6 = body();
		const h6 = signedHeaders(secret, b6);
		cases.push(['signature of another svix-id', { ...h6, 'svix-id': 'msg_other' }, b6, 401]);
		cases.push(['replay of a delivered svix-id', validHeaders, validBody, 200]);
		for (const [name, headers, payload, status] of cases) {
			const result = await trigger.deliver({ headers, body: payload });
			expect({ name, status: result.statusCode, started: !!result.run }).toEqual({ name, status, started: false });
		}
		// within tolerance: 4 minutes old is fine
		const b7 = body();
		expect((await trigger.deliver({ headers: signedHeaders(secret, b7, { at: now - 240 }), body: b7 })).run).toBeDefined();
		// rotated secret: the header carries the old and the new signature
		const b8 = body();
		const h8 = signedHeaders(secret, b8);
		h8['svix-signature'] = `${sign(newSecret(), h8['svix-id'], h8['svix-timestamp'], b8)} ${h8['svix-signature']}`;
		expect((await trigger.deliver({ headers: h8, body: b8 })).run).toBeDefined();
		expect(trigger.executions).toHaveLength(3);
	});
});

describe('delivery from the sandbox', () => {
	it('inbound mail starts exactly one execution with the message; Svix retries and redeliveries start none', async () => {
		const { inbox, inbound, admin, sandbox } = env();
		const trigger = env().trigger(INBOX_SCOPE(inbox));
		await trigger.listen();
		await trigger.activate();
		const mail = await inbound({ inbox_id: inbox, from: 'Customer <customer@example.com>', subject: 'Refund', text: 'Where is my refund?' });
		await sandbox.webhooksIdle();
		const [run] = await trigger.waitForExecutions(1);
		const [item] = run.json('AgentMail Trigger');
		expect(item).toMatchObject({
			event_type: 'message.received',
			event_id: expect.stringMatching(/^evt_/),
			inbox_id: inbox,
			thread_id: mail.thread_id,
			message_id: mail.message_id,
			message: { subject: 'Refund', text: 'Where is my refund?', from: 'Customer <customer@example.com>' },
			thread: { thread_id: mail.thread_id, message_count: 1 },
			event: { type: 'event', event_type: 'message.received' },
		});
		// redeliver 3 times (same svix-id): 200 each time, no execution
		const [delivery] = (await admin.get('/_sandbox/webhooks/deliveries')).data.deliveries;
		for (let i = 0; i < 3; i++) await admin.post(`/_sandbox/webhooks/deliveries/${String(delivery.delivery_id)}/redeliver`);
		await sandbox.webhooksIdle();
		const after = (await admin.get('/_sandbox/webhooks/deliveries')).data.deliveries[0];
		expect(after.attempts.map((a: { status: number }) => a.status)).toEqual([200, 200, 200, 200]);
		expect(trigger.executions).toHaveLength(1);
		await trigger.deactivate();
		expect(await env().webhooks()).toHaveLength(0);
	});

	it('the same event_id under a new svix-id starts nothing', async () => {
		const { inbox } = env();
		const trigger = env().trigger(INBOX_SCOPE(inbox));
		await trigger.activate();
		const secret = String(trigger.nodeStaticData.secret);
		const payload = JSON.stringify(receivedEvent(inbox));
		for (let i = 0; i < 3; i++) {
			expect((await trigger.deliver({ headers: signedHeaders(secret, payload), body: payload })).statusCode).toBe(200);
		}
		expect(trigger.executions).toHaveLength(1);
		// two deliveries of one new event at the same moment (the real-n8n e2e found this): one execution
		const twice = JSON.stringify(receivedEvent(inbox));
		const headers = signedHeaders(secret, twice);
		const results = await Promise.all([trigger.deliver({ headers, body: twice }), trigger.deliver({ headers, body: twice })]);
		expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
		expect(results.filter((r) => r.run)).toHaveLength(1);
		expect(trigger.executions).toHaveLength(2);
	});

	it('outputs one item per event for every event type, with the body under its key', async () => {
		const { inbox, inbound, seedInbox, api, admin, sandbox } = env();
		const colleague = await seedInbox('colleague');
		const trigger = env().trigger({
			connection: 'webhook',
			events: [
				'message.received',
				'message.received.spam',
				'message.received.blocked',
				'message.received.unauthenticated',
				'message.sent',
				'message.delivered',
				'message.bounced',
				'message.complained',
				'message.rejected',
				'message.opened',
				'domain.verified',
			],
			scope: 'organization',
		});
		await trigger.listen();
		await trigger.activate();
		await inbound({ inbox_id: inbox, from: 'a@example.com', subject: 'plain' });
		await inbound({ inbox_id: inbox, from: 'b@example.com', subject: 'spam', labels: ['spam'] });
		await inbound({ inbox_id: inbox, from: 'c@example.com', subject: 'unauth', labels: ['unauthenticated'] });
		await api.post(`/v0/inboxes/${encodeURIComponent(inbox)}/lists/receive/block`, { entry: 'blocked@example.com' });
		await inbound({ inbox_id: inbox, from: 'blocked@example.com', subject: 'blocked' });
		const sent = (await api.post(`/v0/inboxes/${encodeURIComponent(colleague)}/messages/send`, { to: 'x@example.com', subject: 'out' })).data;
		await api.post('/v0/lists/send/block', { entry: 'nope@example.com' });
		await api.post(`/v0/inboxes/${encodeURIComponent(colleague)}/messages/send`, { to: 'nope@example.com', subject: 'refused' });
		for (const event_type of ['message.bounced', 'message.complained', 'message.opened']) {
			await admin.post('/_sandbox/events', { event_type, inbox_id: colleague, message_id: sent.message_id });
		}
		await admin.post('/_sandbox/events', { event_type: 'domain.verified', domain: 'acme.test' });
		await sandbox.webhooksIdle();
		const runs = await trigger.waitForExecutions(11);
		const items = runs.map((run) => run.json('AgentMail Trigger')[0]);
		expect(runs.every((run) => run.json('AgentMail Trigger').length === 1)).toBe(true);
		const byType = Object.fromEntries(items.map((item) => [item.event_type, item]));
		expect(Object.keys(byType).sort()).toEqual([
			'domain.verified',
			'message.bounced',
			'message.complained',
			'message.delivered',
			'message.opened',
			'message.received',
			'message.received.blocked',
			'message.received.spam',
			'message.received.unauthenticated',
			'message.rejected',
			'message.sent',
		]);
		for (const type of ['message.received', 'message.received.spam', 'message.received.blocked', 'message.received.unauthenticated']) {
			expect(byType[type]).toMatchObject({ inbox_id: inbox, message: { inbox_id: inbox }, thread: { inbox_id: inbox } });
		}
		const common = { inbox_id: colleague, message_id: sent.message_id, thread_id: sent.thread_id };
		expect(byType['message.sent']).toMatchObject({ ...common, send: { ...common, recipients: ['x@example.com'] } });
		expect(byType['message.delivered']).toMatchObject({ ...common, delivery: common });
		expect(byType['message.bounced']).toMatchObject({ ...common, bounce: { type: 'Permanent' } });
		expect(byType['message.complained']).toMatchObject({ ...common, complaint: { recipients: ['x@example.com'] } });
		expect(byType['message.opened']).toMatchObject({ ...common, open: common });
		expect(byType['message.rejected']).toMatchObject({ inbox_id: colleague, reject: { reason: expect.stringMatching(/nope@example.com/) } });
		expect(byType['domain.verified']).toMatchObject({ inbox_id: null, message_id: null, domain: { domain: 'acme.test' } });
		for (const item of items) expect((item.event as IDataObject).event_id).toBe(item.event_id);
	});
});

describe('filtering', () => {
	it('starts nothing for unselected types, other inboxes, or mail from watched / ignored senders', async () => {
		const { inbox, seedInbox } = env();
		const other = await seedInbox('peer');
		const trigger = env().trigger(INBOX_SCOPE(inbox, { inboxIds: [inbox, other], options: { ignoreSenders: 'Bot <bot@example.com>' } }));
		await trigger.activate();
		const secret = String(trigger.nodeStaticData.secret);
		const send = async (event: IDataObject) => {
			const payload = JSON.stringify(event);
			return await trigger.deliver({ headers: signedHeaders(secret, payload), body: payload });
		};
		const bounced = { type: 'event', event_type: 'message.bounced', event_id: 'evt_b1', bounce: { inbox_id: inbox, message_id: '<x>', thread_id: 't' } };
		const cases: Array<[string, IDataObject]> = [
			['type not selected', bounced],
			['inbox outside the scope', receivedEvent('stranger@agentmail.to')],
			['sent by a watched inbox (loop guard)', receivedEvent(inbox, `Peer <${other}>`)],
			['sent by an ignored address', receivedEvent(inbox, 'bot@example.com')],
			['not an event', { type: 'something' }],
		];
		for (const [name, event] of cases) {
			const result = await send(event);
			expect({ name, status: result.statusCode, started: !!result.run }).toEqual({ name, status: 200, started: false });
		}
		expect((await send(receivedEvent(other, 'customer@example.com'))).run).toBeDefined();
		expect(trigger.executions).toHaveLength(1);

		// the loop guard can be switched off
		trigger.setParameters({ options: { ignoreWatchedInboxes: false } });
		expect((await send(receivedEvent(inbox, `Peer <${other}>`))).run).toBeDefined();
	});
});

describe('editor test (listen for test event)', () => {
	it('a test delivery runs the manual execution with the event item', async () => {
		const { inbox, inbound, sandbox } = env();
		const trigger = env().trigger(INBOX_SCOPE(inbox), { mode: 'manual' });
		await trigger.listen();
		await trigger.activate();
		expect(trigger.staticData['node:AgentMail Trigger']).toMatchObject({ test: { webhookId: expect.any(String) } });
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Test me' });
		await sandbox.webhooksIdle();
		const [run] = await trigger.waitForExecutions(1);
		expect(run.mode).toBe('manual');
		expect(run.status).toBe('success');
		expect(run.json('AgentMail Trigger')).toEqual([expect.objectContaining({ event_type: 'message.received', message: expect.objectContaining({ subject: 'Test me' }) })]);
		await trigger.deactivate();
		expect(await env().webhooks()).toHaveLength(0);
	});
});
