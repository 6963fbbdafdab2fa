/**
 * Shared setup for the AgentMail Trigger tests: the built package through
 * n8n-core (TriggerHarness), a sandbox with fast webhook retries, and a Svix
 * signer written from AGENTMAIL_API.md §6.4 (independent of the node's code).
 */
import axios, { type AxiosInstance } from 'axios';
import { createHmac, randomBytes } from 'node:crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../../sandbox';
import { loadPackage, shutdownHarness, TriggerHarness, type LoadedPackage, type TriggerHarnessOptions } from '../../harness';
import { REPO_ROOT } from '../setup';

export const TRIGGER_TYPE = 'n8n-nodes-agentmail-hitl.agentMailTrigger';

export interface TriggerEnv {
	pkg: LoadedPackage;
	sandbox: RunningSandbox;
	api: AxiosInstance;
	admin: AxiosInstance;
	inbox: string;
	/** A harness for a workflow: the trigger, then a NoOp-free end (the trigger is the only node). */
	trigger(parameters: INodeParameters, options?: Partial<TriggerHarnessOptions>): TriggerHarness;
	webhooks(): Promise<IDataObject[]>;
	inbound(body: IDataObject): Promise<IDataObject>;
	seedInbox(username: string): Promise<string>;
}

export function useTriggerEnv(): () => TriggerEnv {
	let env: TriggerEnv | undefined;
	const harnesses: TriggerHarness[] = [];
	beforeAll(async () => {
		const sandbox = await startSandbox({ port: 0, schedulerIntervalMs: 50, logError: () => undefined, webhookRetryDelaysMs: [50, 100] });
		const pkg = await loadPackage(REPO_ROOT);
		const common = { baseURL: sandbox.url, validateStatus: () => true, proxy: false as const };
		const api = axios.create({ ...common, headers: { Authorization: `Bearer ${sandbox.apiKey}` } });
		const admin = axios.create(common);
		env = {
			pkg,
			sandbox,
			api,
			admin,
			inbox: sandbox.inboxId,
			trigger: (parameters, options = {}) => {
				const harness = new TriggerHarness({
					package: pkg,
					credentials: { agentMailApi: { apiKey: sandbox.apiKey, region: 'custom', baseUrl: sandbox.url } },
					workflow: {
						id: `wf${harnesses.length + 1}`,
						nodes: [{ name: 'AgentMail Trigger', type: TRIGGER_TYPE, typeVersion: 1, parameters }],
						connections: {},
					},
					...options,
				});
				harnesses.push(harness);
				return harness;
			},
			webhooks: async () => (await api.get('/v0/webhooks')).data.webhooks,
			inbound: async (body) => {
				const response = await admin.post('/_sandbox/inbound', body);
				if (response.status !== 200) throw new Error(`inbound failed: ${JSON.stringify(response.data)}`);
				return response.data;
			},
			seedInbox: async (username) => (await admin.post('/_sandbox/seed', { inboxes: [{ username }] })).data.inboxes[0].inbox_id,
		};
	});
	beforeEach(async () => {
		await env!.admin.post('/_sandbox/reset');
		await env!.admin.delete('/_sandbox/requests');
	});
	afterEach(async () => {
		await env!.sandbox.webhooksIdle();
		while (harnesses.length) await harnesses.pop()!.close();
	});
	afterAll(async () => {
		await env?.sandbox.close();
		await shutdownHarness();
	});
	return () => env!;
}

export const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256(id.timestamp.body)>` keyed with the decoded `whsec_` secret. */
export function sign(secret: string, id: string, timestamp: number | string, body: string): string {
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function signedHeaders(secret: string, body: string, options: { id?: string; at?: number } = {}): Record<string, string> {
	const id = options.id ?? `msg_${randomBytes(8).toString('hex')}`;
	const at = options.at ?? Math.floor(Date.now() / 1000);
	return { 'svix-id': id, 'svix-timestamp': String(at), 'svix-signature': sign(secret, id, at, body) };
}

let counter = 0;
/** A message.received envelope as AgentMail sends it. */
export function receivedEvent(inboxId: string, from = 'Customer <customer@example.com>', eventType = 'message.received'): IDataObject {
	counter += 1;
	const message = {
		inbox_id: inboxId,
		thread_id: `thd_${counter}`,
		message_id: `<m${counter}@example.com>`,
		labels: ['received', 'unread'],
		timestamp: new Date().toISOString(),
		from,
		to: [inboxId],
		subject: `Question ${counter}`,
		text: 'Where is my refund?',
		size: 20,
		updated_at: new Date().toISOString(),
		created_at: new Date().toISOString(),
	};
	return {
		type: 'event',
		event_type: eventType,
		event_id: `evt_test_${counter}`,
		message,
		thread: { inbox_id: inboxId, thread_id: message.thread_id, message_count: 1, last_message_id: message.message_id },
	};
}
