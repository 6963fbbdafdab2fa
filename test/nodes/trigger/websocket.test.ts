/**
 * AgentMail Trigger, Connection = WebSocket: trigger() through n8n-core's
 * TriggersAndPollers against the sandbox's WebSocket endpoint (Node's
 * built-in WebSocket client), reconnects after a dropped connection, dedupe
 * by event_id, AgentMail errors reported, no webhook registered.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildWorkflow } from '../../../harness/execution';
import { useTriggerEnv } from './setup';

const env = useTriggerEnv();

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await predicate())) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

const connections = async (): Promise<Array<{ subscribed: boolean; subscription?: IDataObject }>> =>
	(await env().admin.get('/_sandbox/websockets')).data.connections;

describe('WebSocket connection', () => {
	it('subscribes with the selection, starts one execution per event, reconnects after a drop, closes on deactivation', async () => {
		const { inbox, inbound, admin, seedInbox } = env();
		const other = await seedInbox('ws-other');
		const trigger = env().trigger({ connection: 'websocket', events: ['message.received'], scope: 'inboxes', inboxIds: [inbox] });
		await trigger.startTrigger();
		await until(async () => (await connections()).some((c) => c.subscribed));
		expect(await connections()).toEqual([
			{ subscribed: true, subscription: { event_types: ['message.received'], inbox_ids: [inbox] } },
		]);
		expect(await env().webhooks()).toHaveLength(0);

		await inbound({ inbox_id: other, from: 'x@example.com', subject: 'not watched' });
		const first = await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'First' });
		const [run] = await trigger.waitForExecutions(1);
		expect(run.mode).toBe('webhook');
		expect(run.json('AgentMail Trigger')).toEqual([
			expect.objectContaining({ event_type: 'message.received', inbox_id: inbox, message_id: first.message_id, message: expect.objectContaining({ subject: 'First' }) }),
		]);

		// the sandbox drops the connection: the trigger reconnects (1 s backoff) and resubscribes
		expect((await admin.post('/_sandbox/websockets/drop')).data.dropped).toBe(1);
		await until(async () => (await connections()).some((c) => c.subscribed));
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Second' });
		await trigger.waitForExecutions(2);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(trigger.executions).toHaveLength(2);
		expect(trigger.executions[1].json('AgentMail Trigger')[0]).toMatchObject({ message: { subject: 'Second' } });

		await trigger.close();
		await until(async () => (await connections()).length === 0);
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'After close' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(trigger.executions).toHaveLength(2);
		expect(trigger.errors).toEqual([]);
	});

	it('an event seen before (same event_id after a reconnect) starts nothing; the loop guard applies', async () => {
		const { inbox, inbound, seedInbox } = env();
		const peer = await seedInbox('ws-peer');
		const trigger = env().trigger({ connection: 'websocket', events: ['message.received'], scope: 'inboxes', inboxIds: [inbox, peer] });
		await trigger.startTrigger();
		await until(async () => (await connections()).some((c) => c.subscribed));
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'once' });
		await trigger.waitForExecutions(1);
		// the same event again, as a server resending after a reconnect would: 3 times, also after a drop
		const eventId = String(trigger.executions[0].json('AgentMail Trigger')[0].event_id);
		for (let i = 0; i < 2; i++) expect((await env().admin.post(`/_sandbox/websockets/replay/${eventId}`)).data.sent).toBe(1);
		await env().admin.post('/_sandbox/websockets/drop');
		await until(async () => (await connections()).some((c) => c.subscribed));
		expect((await env().admin.post(`/_sandbox/websockets/replay/${eventId}`)).data.sent).toBe(1);
		// mail between the two watched inboxes: the reply loop guard drops it
		await env().api.post(`/v0/inboxes/${encodeURIComponent(peer)}/messages/send`, { to: inbox, subject: 'from peer' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(trigger.executions).toHaveLength(1);
	});

	it('listen for test event (manual mode) resolves with the next event', async () => {
		const { inbox, inbound } = env();
		const trigger = env().trigger({ connection: 'websocket', events: ['message.received'], scope: 'inboxes', inboxIds: [inbox] }, { mode: 'manual' });
		await trigger.startTrigger();
		await until(async () => (await connections()).some((c) => c.subscribed));
		await inbound({ inbox_id: inbox, from: 'customer@example.com', subject: 'Test event' });
		const emitted = await trigger.manualResponse!;
		expect(emitted[0].map((item) => item.json)).toEqual([expect.objectContaining({ event_type: 'message.received', message: expect.objectContaining({ subject: 'Test event' }) })]);
		expect(trigger.executions).toHaveLength(0);
	});

	it('reports AgentMail\'s error message through emitError', async () => {
		const trigger = env().trigger({ connection: 'websocket', events: ['message.received'], scope: 'inboxes', inboxIds: ['missing@agentmail.to'] });
		await trigger.startTrigger();
		await until(() => trigger.errors.length > 0);
		expect(trigger.errors[0].message).toMatch(/AgentMail refused the subscription: Inbox missing@agentmail.to not found/);
	});

	it('registers no webhook in WebSocket mode (the method expression is empty), POST in webhook mode', async () => {
		const trigger = env().trigger({ connection: 'websocket', events: ['message.received'], scope: 'organization' });
		const description = trigger.pkg.nodeTypes.getByNameAndVersion(trigger.node.type, 1).description.webhooks![0];
		const evaluate = () => {
			const workflow = buildWorkflow(trigger.workflowData, trigger.pkg, 'trigger');
			const node = workflow.getNode('AgentMail Trigger')!;
			return workflow.expression.withIsolate(async () =>
				workflow.expression.getSimpleParameterValue(node, description.httpMethod, 'internal', {}, undefined, 'GET'),
			);
		};
		expect(await evaluate()).toBe('');
		trigger.setParameters({ connection: 'webhook' });
		expect(await evaluate()).toBe('POST');
	});
});
