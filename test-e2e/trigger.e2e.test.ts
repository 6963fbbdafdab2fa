/**
 * AgentMail Trigger (Connection = Webhook) in a real n8n 2.41.1 with the
 * packed package, against the sandbox: activation registers exactly one
 * AgentMail webhook pointing at n8n, inbound mail starts exactly one
 * execution with the message, redeliveries (same svix-id) and an unsigned or
 * tampered POST start none, deactivation deletes the webhook.
 */
import { randomUUID } from 'node:crypto';

import { N8nApi, agentMailSandbox, createAgentMailCredential, nodeOutput, type Credential } from './helpers';
import { eventually, resetSandbox, sandboxApi, sandboxInbound } from './helpers/sandboxAdmin';
import { callWebhook } from './helpers/webhook';

const api = N8nApi.fromE2eState();
let credential: Credential;
let workflowId: string | undefined;

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

beforeAll(async () => {
	await resetSandbox();
	credential = await createAgentMailCredential(api);
});

afterAll(async () => {
	if (workflowId) await api.deleteWorkflow(workflowId).catch(() => undefined);
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
	workflowId = workflow.id;

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
