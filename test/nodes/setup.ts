/**
 * Shared setup for the node tests: the built package (dist) loaded through
 * n8n-core, and a real AgentMail sandbox over HTTP on 127.0.0.1.
 *
 *   const env = useNodeEnv();
 *   const run = await env.run([node('Create', 'agentMail', { ... })]);
 */
import axios, { type AxiosInstance } from 'axios';
import path from 'node:path';
import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	loadPackage,
	runWorkflow,
	shutdownHarness,
	MANUAL_TRIGGER_TYPE,
	type CredentialsInput,
	type HarnessRun,
	type LoadedPackage,
} from '../harness';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const START = 'Start';

export interface NodeEnv {
	pkg: LoadedPackage;
	sandbox: RunningSandbox;
	/** Raw HTTP to the sandbox with the API key; never throws on a status. */
	api: AxiosInstance;
	/** Raw HTTP to the sandbox's /_sandbox admin endpoints; never throws on a status. */
	admin: AxiosInstance;
	/** The seeded inbox id. */
	inbox: string;
	credentials: CredentialsInput;
	/** Runs Start -> nodes[0] -> nodes[1] -> ... (main output 0), or with explicit connections. */
	run(nodes: Array<Partial<INode>>, options?: RunOptions): Promise<HarnessRun>;
	/** /v0 requests the sandbox received since the last clearRequests(). */
	requests(): Promise<Array<IDataObject>>;
	clearRequests(): Promise<void>;
	outbox(): Promise<Array<IDataObject>>;
	/** Injects a fault for the next `count` matching requests. */
	fault(spec: IDataObject): Promise<void>;
}

export interface RunOptions {
	items?: IDataObject[];
	connections?: IConnections;
	credentials?: CredentialsInput;
}

/** A node of this package (`short` is e.g. `agentMail`) with the given parameters. */
export function node(name: string, short: string, parameters: INodeParameters, extra: Partial<INode> = {}): Partial<INode> {
	return { name, type: `n8n-nodes-agentmail-hitl.${short}`, typeVersion: 1, parameters, ...extra };
}

/** A resource locator value "By ID". */
export function byId(value: string): INodeParameters {
	return { __rl: true, mode: 'id', value };
}

function chain(nodes: Array<Partial<INode>>): IConnections {
	const connections: IConnections = {};
	const names = [START, ...nodes.map((n) => n.name as string)];
	for (let index = 0; index < names.length - 1; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** One sandbox and the loaded package per test file; the sandbox is reset before each test. */
export function useNodeEnv(): () => NodeEnv {
	let env: NodeEnv | undefined;
	beforeAll(async () => {
		const sandbox = await startSandbox({ port: 0, schedulerIntervalMs: 50, logError: () => undefined });
		const pkg = await loadPackage(REPO_ROOT);
		const common = { baseURL: sandbox.url, validateStatus: () => true, proxy: false as const };
		const api = axios.create({ ...common, headers: { Authorization: `Bearer ${sandbox.apiKey}` } });
		const admin = axios.create(common);
		const credentials: CredentialsInput = { agentMailApi: { apiKey: sandbox.apiKey, region: 'custom', baseUrl: sandbox.url } };
		env = {
			pkg,
			sandbox,
			api,
			admin,
			inbox: sandbox.inboxId,
			credentials,
			run: async (nodes, options = {}) =>
				await runWorkflow({
					package: pkg,
					items: options.items ?? [{}],
					credentials: options.credentials ?? credentials,
					workflow: {
						nodes: [{ name: START, type: MANUAL_TRIGGER_TYPE, typeVersion: 1, parameters: {} }, ...nodes] as INode[],
						connections: options.connections ?? chain(nodes),
					},
				}),
			requests: async () => (await admin.get('/_sandbox/requests')).data.requests,
			clearRequests: async () => {
				await admin.delete('/_sandbox/requests');
			},
			outbox: async () => (await admin.get('/_sandbox/outbox')).data.messages,
			fault: async (spec) => {
				const response = await admin.post('/_sandbox/faults', spec);
				if (response.status >= 300) throw new Error(`fault injection failed: ${JSON.stringify(response.data)}`);
			},
		};
	});
	beforeEach(async () => {
		await env!.admin.post('/_sandbox/reset');
		await env!.admin.delete('/_sandbox/faults');
		await env!.clearRequests();
	});
	afterAll(async () => {
		await env?.sandbox.close();
		await shutdownHarness();
	});
	return () => env!;
}
