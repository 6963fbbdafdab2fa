/**
 * Scenario "trigger" of `npm run bench`: the time from inbound mail (the POST
 * to the sandbox's /_sandbox/inbound) to the start of the execution it
 * triggers (n8n-core's workflowExecuteBefore hook), for the AgentMail Trigger
 * in webhook mode and in WebSocket mode, against n8n's own Webhook node
 * receiving the same delivery from the sandbox (a sandbox webhook pointing at
 * a Webhook node workflow). All three listen at once, each on its own inbox,
 * and take turns (rotated order) for every mail. Each delivery is then sent
 * again (a Svix redelivery with the same svix-id, or the WebSocket resending
 * the event) to count the executions duplicates start: must be none.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { IDataObject, INodeType, LoadedClass } from 'n8n-workflow';

import { TriggerHarness, type LoadedPackage } from '../harness';

export interface TriggerBenchTools {
	pkg: LoadedPackage;
	reps: number;
	/** n8n-nodes-base/dist of the n8n install (for the Webhook node). */
	nodesBase: string;
	ratioRow(work: string, unit: string, ours: number[], against: number[], againstName: string, goal: string, digits?: number): void;
	notes: string[];
}

const WEBHOOK_NODE = 'n8n-nodes-base.webhook';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sandbox {
	url: string;
	apiKey: string;
	child: ChildProcess;
}

async function startSandboxProcess(): Promise<Sandbox> {
	const child = fork(join(__dirname, 'sandboxProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const info = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
		child.once('message', (message: { url: string; apiKey: string }) => resolve(message));
		child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
	});
	return { ...info, child };
}

async function call(sandbox: Sandbox, method: string, path: string, body?: IDataObject, auth = false): Promise<IDataObject> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (auth) headers.authorization = `Bearer ${sandbox.apiKey}`;
	const response = await fetch(`${sandbox.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
	const data = (await response.json().catch(() => ({}))) as IDataObject;
	if (response.status >= 400) throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(data)}`);
	return data;
}

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await predicate())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(2);
	}
}

interface Variant {
	name: string;
	inbox: string;
	harness: TriggerHarness;
	latencies: number[];
}

/** The epoch ms at which the execution started (n8n-core's workflowExecuteBefore). */
function startedAt(harness: TriggerHarness, index: number): number {
	const event = harness.executions[index].hooks.events.find((e) => e.hook === 'workflowExecuteBefore');
	if (!event) throw new Error('no workflowExecuteBefore hook');
	return event.at;
}

export async function triggerLatency(tools: TriggerBenchTools): Promise<void> {
	const events = tools.reps * 10;
	console.log(`\nTrigger: inbound mail -> execution start, ${events} mails per mode, webhook / WebSocket / n8n Webhook node taking turns`);
	const webhookFile = join(tools.nodesBase, 'nodes', 'Webhook', 'Webhook.node.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Webhook } = require(webhookFile) as { Webhook: new () => INodeType };
	(tools.pkg.nodeTypes.nodes as Record<string, LoadedClass<unknown>>)[WEBHOOK_NODE] = { type: new Webhook(), sourcePath: webhookFile };

	const sandbox = await startSandboxProcess();
	const harnesses: TriggerHarness[] = [];
	try {
		const inboxes = ((await call(sandbox, 'POST', '/_sandbox/seed', { inboxes: [{ username: 'bench-webhook' }, { username: 'bench-ws' }, { username: 'bench-n8n' }] })).inboxes as IDataObject[]).map(
			(inbox) => String(inbox.inbox_id),
		);
		const credentials = { agentMailApi: { apiKey: sandbox.apiKey, region: 'custom', baseUrl: sandbox.url } };
		const agentMail = (connection: string, inbox: string) =>
			new TriggerHarness({
				package: tools.pkg,
				credentials,
				workflow: {
					id: `bench-${connection}`,
					nodes: [{ name: 'Trigger', type: tools.pkg.nodeType('agentMailTrigger'), typeVersion: 1, parameters: { connection, events: ['message.received'], scope: 'inboxes', inboxIds: [inbox] } }],
					connections: {},
				},
			});
		const webhookVariant: Variant = { name: 'AgentMail Trigger, webhook', inbox: inboxes[0], harness: agentMail('webhook', inboxes[0]), latencies: [] };
		const wsVariant: Variant = { name: 'AgentMail Trigger, WebSocket', inbox: inboxes[1], harness: agentMail('websocket', inboxes[1]), latencies: [] };
		const n8nWebhook = new TriggerHarness({
			package: tools.pkg,
			workflow: {
				id: 'bench-n8n-webhook',
				nodes: [{ name: 'Trigger', type: WEBHOOK_NODE, typeVersion: 2, parameters: { httpMethod: 'POST', path: 'agentmail', responseMode: 'onReceived', options: {} } }],
				connections: {},
			},
		});
		const plainVariant: Variant = { name: "n8n's Webhook node", inbox: inboxes[2], harness: n8nWebhook, latencies: [] };
		const variants = [webhookVariant, wsVariant, plainVariant];
		harnesses.push(...variants.map((v) => v.harness));

		await webhookVariant.harness.listen();
		await webhookVariant.harness.activate();
		await wsVariant.harness.startTrigger();
		await until(async () => ((await call(sandbox, 'GET', '/_sandbox/websockets')).connections as IDataObject[]).some((c) => c.subscribed), 'the WebSocket subscription');
		const plainBase = await n8nWebhook.listen();
		await call(sandbox, 'POST', '/v0/webhooks', { url: `${plainBase}/webhook/agentmail`, event_types: ['message.received'], inbox_ids: [plainVariant.inbox], client_id: 'bench-n8n-webhook' }, true);

		const mail = async (variant: Variant, n: number) => {
			const before = variant.harness.executions.length;
			const sentAt = Date.now();
			await call(sandbox, 'POST', '/_sandbox/inbound', { inbox_id: variant.inbox, from: 'customer@example.com', subject: `Bench ${n}`, text: 'Where is my order?' });
			await until(() => variant.harness.executions.length > before, `the execution of ${variant.name}`);
			return startedAt(variant.harness, before) - sentAt;
		};
		// warm-up (JIT, connections, expression isolates)
		for (const variant of variants) for (let n = 0; n < 3; n++) await mail(variant, -n);
		const warm = variants.map((v) => v.harness.executions.length);
		for (let n = 0; n < events; n++) {
			const order = [0, 1, 2].map((i) => (i + n) % 3);
			if (n % 2) order.reverse();
			for (const index of order) variants[index].latencies.push(await mail(variants[index], n));
		}

		// duplicates: every delivery of the measured mails sent again (same svix-id), every WebSocket event resent
		const deliveries = ((await call(sandbox, 'GET', '/_sandbox/webhooks/deliveries')).deliveries as IDataObject[]).filter((d) => d.status === 'delivered');
		for (const delivery of deliveries) await call(sandbox, 'POST', `/_sandbox/webhooks/deliveries/${String(delivery.delivery_id)}/redeliver`);
		const wsEvents = ((await call(sandbox, 'GET', '/_sandbox/events')).events as IDataObject[])
			.map((e) => e.event as IDataObject)
			.filter((e) => (e.message as IDataObject | undefined)?.inbox_id === wsVariant.inbox);
		for (const event of wsEvents) await call(sandbox, 'POST', `/_sandbox/websockets/replay/${encodeURIComponent(String(event.event_id))}`);
		await until(async () => ((await call(sandbox, 'GET', '/_sandbox/webhooks/deliveries')).deliveries as IDataObject[]).every((d) => d.status !== 'pending'), 'the redeliveries');
		await sleep(1000);

		for (const variant of [webhookVariant, wsVariant]) {
			tools.ratioRow(`Inbound mail -> execution start, ${variant.name}`, 'ms', variant.latencies, plainVariant.latencies, "n8n's Webhook node", '≤ 1.5×', 1);
		}
		const started = variants.map((v, index) => v.harness.executions.length - warm[index]);
		const hooks = (await call(sandbox, 'GET', '/v0/webhooks', undefined, true)).webhooks as IDataObject[];
		const perWebhook = (variant: Variant) => {
			const ids = hooks.filter((h) => (h.inbox_ids as string[] | undefined)?.includes(variant.inbox)).map((h) => h.webhook_id);
			return deliveries.filter((d) => ids.includes(d.webhook_id)).length;
		};
		tools.notes.push(
			`Trigger: ${events} measured mails per mode (+3 warm-up each). Duplicates sent, executions they started: ` +
				`webhook ${perWebhook(webhookVariant)} redeliveries (same svix-id) -> ${started[0] - events} executions; ` +
				`WebSocket ${wsEvents.length} resent events (same event_id) -> ${started[1] - events} executions; ` +
				`n8n's Webhook node (no dedupe) ${perWebhook(plainVariant)} redeliveries -> ${started[2] - events} executions.`,
		);
		console.log(`  ${tools.notes[tools.notes.length - 1]}`);
	} finally {
		await harnesses[0]?.deactivate().catch(() => undefined);
		for (const harness of harnesses) await harness.close().catch(() => undefined);
		sandbox.child.kill();
	}
}
