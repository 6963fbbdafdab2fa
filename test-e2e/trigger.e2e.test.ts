/**
 * AgentMail Trigger in a real n8n 2.41.1 with the packed package, against the
 * sandbox. Webhook connection: activation registers exactly one AgentMail
 * webhook pointing at n8n, inbound mail starts exactly one execution with the
 * message, redeliveries (same svix-id) and an unsigned or tampered POST start
 * none (401), deactivation deletes the webhook; restarting n8n with the
 * workflow active leaves exactly one webhook, and mail still starts exactly
 * one execution. WebSocket connection: activation subscribes (no webhook),
 * mail starts one execution, a connection the sandbox drops is reopened and
 * the next mail starts one execution, deactivation closes the socket.
 */
import { randomUUID } from 'node:crypto';

import { N8nApi, agentMailSandbox, createAgentMailCredential, e2eState, nodeOutput, restartN8n, uniqueSuffix, webhookNode, type Credential } from './helpers';
import { clearSandboxRequests, eventually, resetSandbox, sandboxApi, sandboxInbound, sandboxRequests } from './helpers/sandboxAdmin';
import { callWebhook } from './helpers/webhook';

const api = N8nApi.fromE2eState();
let credential: Credential;
const workflowIds: string[] = [];

interface Webhook {
	webhook_id: string;
	url: string;
	client_id?: string;
	event_types: string[];
}

const webhooks = async (): Promise<Webhook[]> => (await sandboxApi<{ webhooks: Webhook[] }>('GET', '/webhooks')).data?.webhooks ?? [];

async function admin<T>(method: string, path: string): Promise<T> {
	const response = await fetch(`${agentMailSandbox().url}/_sandbox${path}`, { method });
	return (await response.json()) as T;
}

interface Connection {
	subscribed: boolean;
	subscription?: { event_types?: string[]; inbox_ids?: string[] };
}
const connections = async (): Promise<Connection[]> => (await admin<{ connections: Connection[] }>('GET', '/websockets')).connections;

function triggerWorkflow(connection: 'webhook' | 'websocket', webhookId = randomUUID(), inbox = agentMailSandbox().inboxId) {
	return {
		name: `AgentMail Trigger e2e ${connection} ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Customer Wrote',
				type: 'n8n-nodes-agentmail-hitl.agentMailTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				webhookId,
				parameters: { connection, events: ['message.received'], scope: 'inboxes', inboxIds: [inbox], options: {} },
				credentials: { agentMailApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	};
}

/** The executions of `workflowId` once there are `count`, after checking for a while that no more arrive. */
async function exactlyExecutions(workflowId: string, count: number) {
	await eventually(async () => (await api.listExecutions({ workflowId })).length >= count, { what: `${count} execution(s)`, timeoutMs: 30_000 });
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const list = await api.listExecutions({ workflowId, includeData: true });
	expect(list).toHaveLength(count);
	return list;
}

const subjectsOf = (executions: Awaited<ReturnType<typeof exactlyExecutions>>) =>
	executions.map((execution) => (nodeOutput(execution, 'Customer Wrote')[0].message as { subject?: string }).subject).sort();

beforeAll(async () => {
	await resetSandbox();
	credential = await createAgentMailCredential(api);
});

afterAll(async () => {
	for (const id of workflowIds) await api.deleteWorkflow(id).catch(() => undefined);
	if (credential) await api.deleteCredential(credential.id).catch(() => undefined);
});

it('activate -> one webhook; inbound mail -> one execution; redeliveries and bad signatures -> none; deactivate -> no webhook', async () => {
	const inbox = agentMailSandbox().inboxId;
	const webhookId = randomUUID();
	const workflow = await api.createAndActivate({
		name: `AgentMail Trigger e2e ${webhookId.slice(0, 8)}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Customer Wrote',
				type: 'n8n-nodes-agentmail-hitl.agentMailTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { connection: 'webhook', events: ['message.received'], scope: 'inboxes', inboxIds: [inbox], options: {} },
				credentials: { agentMailApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	workflowIds.push(workflow.id);

	const [hook] = await eventually(async () => {
		const list = await webhooks();
		return list.length ? list : undefined;
	}, { what: 'the AgentMail webhook' });
	expect(await webhooks()).toHaveLength(1);
	expect(hook.url).toMatch(new RegExp(`/webhook/${webhookId}/webhook$`));
	expect(hook.client_id).toMatch(/^n8n-trigger-/);
	expect(hook.event_types).toEqual(['message.received']);

	const mail = await sandboxInbound({ from: 'Customer <customer@example.com>', subject: 'Where is my order?', text: 'Order 1234 has not arrived.' });
	const [execution] = await eventually(async () => {
		const list = await api.listExecutions({ workflowId: workflow.id, includeData: true });
		return list.length ? list : undefined;
	}, { what: 'the execution' });
	const [item] = nodeOutput(execution, 'Customer Wrote');
	expect(item).toMatchObject({
		event_type: 'message.received',
		inbox_id: inbox,
		message_id: mail.message_id,
		message: { subject: 'Where is my order?', text: 'Order 1234 has not arrived.' },
	});

	// the sandbox redelivers the same delivery (same svix-id) twice
	const { deliveries } = await admin<{ deliveries: Array<{ delivery_id: string; status: string }> }>('GET', '/webhooks/deliveries');
	expect(deliveries).toHaveLength(1);
	expect(deliveries[0].status).toBe('delivered');
	for (let i = 0; i < 2; i++) await admin('POST', `/webhooks/deliveries/${deliveries[0].delivery_id}/redeliver`);
	// unsigned and tampered POSTs straight to n8n
	const unsigned = await callWebhook(hook.url, { body: JSON.stringify({ type: 'event', event_type: 'message.received', event_id: 'evt_forged' }), headers: { 'content-type': 'application/json' } });
	expect(unsigned.status).toBe(401);
	const tampered = await callWebhook(hook.url, {
		body: JSON.stringify({ type: 'event', event_type: 'message.received', event_id: 'evt_forged2' }),
		headers: {
			'content-type': 'application/json',
			'svix-id': 'msg_forged',
			'svix-timestamp': String(Math.floor(Date.now() / 1000)),
			'svix-signature': 'v1,' + Buffer.alloc(32).toString('base64'),
		},
	});
	expect(tampered.status).toBe(401);
	await eventually(async () => {
		const { deliveries: after } = await admin<{ deliveries: Array<{ attempts: unknown[] }> }>('GET', '/webhooks/deliveries');
		return after[0].attempts.length === 3;
	}, { what: 'the redeliveries' });
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await api.listExecutions({ workflowId: workflow.id })).toHaveLength(1);

	await api.deactivateWorkflow(workflow.id);
	await eventually(async () => (await webhooks()).length === 0, { what: 'the webhook to be deleted' });
});

it('restart n8n with the workflow active -> still exactly one webhook; inbound mail -> exactly one execution', async () => {
	await resetSandbox();
	const workflow = await api.createAndActivate(triggerWorkflow('webhook'));
	workflowIds.push(workflow.id);
	const [hook] = await eventually(async () => {
		const list = await webhooks();
		return list.length ? list : undefined;
	}, { what: 'the AgentMail webhook' });
	await clearSandboxRequests();

	await restartN8n();

	expect(await webhooks()).toEqual([hook]);
	const writes = (await sandboxRequests()).filter((r) => r.path.startsWith('/v0/webhooks') && r.method !== 'GET');
	expect(writes).toEqual([]);
	await sandboxInbound({ from: 'customer@example.com', subject: 'After the restart', text: 'Still there?' });
	expect(subjectsOf(await exactlyExecutions(workflow.id, 1))).toEqual(['After the restart']);

	await api.deactivateWorkflow(workflow.id);
	await eventually(async () => (await webhooks()).length === 0, { what: 'the webhook to be deleted' });
});

it('WebSocket: activate -> subscribed, no webhook; mail -> one execution; the sandbox drops the socket -> reconnect, next mail -> one execution; deactivate -> socket closed', async () => {
	await resetSandbox();
	const inbox = agentMailSandbox().inboxId;
	const workflow = await api.createAndActivate(triggerWorkflow('websocket'));
	workflowIds.push(workflow.id);
	await eventually(async () => (await connections()).some((c) => c.subscribed), { what: 'the WebSocket subscription' });
	expect(await connections()).toEqual([{ subscribed: true, subscription: { event_types: ['message.received'], inbox_ids: [inbox] } }]);
	expect(await webhooks()).toEqual([]);

	await sandboxInbound({ from: 'customer@example.com', subject: 'Over the socket 1', text: 'one' });
	expect(subjectsOf(await exactlyExecutions(workflow.id, 1))).toEqual(['Over the socket 1']);

	expect((await admin<{ dropped: number }>('POST', '/websockets/drop')).dropped).toBe(1);
	await eventually(async () => {
		const list = await connections();
		return list.length === 1 && list[0].subscribed;
	}, { what: 'the trigger to reconnect and resubscribe', timeoutMs: 30_000 });
	await sandboxInbound({ from: 'customer@example.com', subject: 'Over the socket 2', text: 'two' });
	expect(subjectsOf(await exactlyExecutions(workflow.id, 2))).toEqual(['Over the socket 1', 'Over the socket 2']);

	await api.deactivateWorkflow(workflow.id);
	await eventually(async () => (await connections()).length === 0, { what: 'the socket to close' });
	await sandboxInbound({ from: 'customer@example.com', subject: 'After deactivation', text: 'three' });
	await exactlyExecutions(workflow.id, 2);
});

/**
 * Prints (asserts no timing): the time from inbound mail (the sandbox's
 * created_at of the message) to the execution's startedAt in this real n8n,
 * for the trigger in both modes and for n8n's own Webhook node receiving the
 * same kind of delivery from a sandbox webhook; each on its own inbox, taking
 * turns. What it asserts: each mail started exactly one execution per listener.
 */
it('measures inbound mail -> execution start in real n8n: webhook and WebSocket mode against n8n\'s Webhook node', async () => {
	await resetSandbox();
	const mails = 10;
	const seeded = await fetch(`${agentMailSandbox().url}/_sandbox/seed`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ inboxes: [{ username: 'lat-webhook' }, { username: 'lat-ws' }, { username: 'lat-n8n' }] }),
	});
	const [hookInbox, wsInbox, plainInbox] = ((await seeded.json()) as { inboxes: Array<{ inbox_id: string }> }).inboxes.map((i) => i.inbox_id);
	const webhookWf = await api.createAndActivate(triggerWorkflow('webhook', randomUUID(), hookInbox));
	const wsWf = await api.createAndActivate(triggerWorkflow('websocket', randomUUID(), wsInbox));
	const path = `agentmail-latency-${uniqueSuffix()}`;
	const plainWf = await api.createAndActivate({ name: `n8n Webhook node latency ${path}`, nodes: [webhookNode(path)], connections: {} });
	workflowIds.push(webhookWf.id, wsWf.id, plainWf.id);
	const created = await sandboxApi('POST', '/webhooks', {
		url: `${e2eState().n8n.url}/webhook/${path}`,
		event_types: ['message.received'],
		inbox_ids: [plainInbox],
		client_id: `latency-${path}`,
	});
	expect(created.status).toBe(200);
	await eventually(async () => (await connections()).some((c) => c.subscribed), { what: 'the WebSocket subscription' });
	await eventually(async () => (await webhooks()).length === 2, { what: 'both webhooks' });

	const listeners = [
		{ name: 'AgentMail Trigger, webhook', inbox: hookInbox, workflowId: webhookWf.id, ms: [] as number[] },
		{ name: 'AgentMail Trigger, WebSocket', inbox: wsInbox, workflowId: wsWf.id, ms: [] as number[] },
		{ name: "n8n's Webhook node", inbox: plainInbox, workflowId: plainWf.id, ms: [] as number[] },
	];
	for (let n = -1; n < mails; n++) {
		const order = [0, 1, 2].map((i) => (i + n + 3) % 3);
		if (n % 2) order.reverse();
		for (const listener of order.map((i) => listeners[i])) {
			const mail = await sandboxInbound({ inbox_id: listener.inbox, from: 'customer@example.com', subject: `Latency ${n}`, text: 'x' });
			const executions = await exactlyExecutions(listener.workflowId, n + 2);
			const started = executions.find((e) => {
				const [item] = nodeOutput(e, listener === listeners[2] ? 'Webhook' : 'Customer Wrote');
				const id = listener === listeners[2] ? ((item.body as { message?: { message_id?: string } })?.message?.message_id) : item.message_id;
				return id === mail.message_id;
			});
			expect(started).toBeDefined();
			if (n >= 0) listener.ms.push(Date.parse(started!.startedAt) - Date.parse(String(mail.created_at)));
		}
	}
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const plain = listeners[2].ms;
	const lines = listeners.slice(0, 2).map((listener) => {
		const ratios = listener.ms.map((value, index) => value / Math.max(plain[index], 1));
		return `${listener.name}: median ${median(listener.ms)} ms vs ${median(plain)} ms, ratio ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`;
	});
	process.stdout.write(`\n[trigger latency, real n8n, ${mails} mails per listener, first mail of each left out]\n${lines.join('\n')}\n`);

	for (const id of [webhookWf.id, wsWf.id, plainWf.id]) await api.deactivateWorkflow(id);
}, 600_000);
