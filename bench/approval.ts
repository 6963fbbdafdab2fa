/**
 * The approval scenario of `npm run bench`: in a real n8n (the packed
 * package, scripts/n8n.sh, its own port and run dir), the time from the
 * reviewer's decision POST to the node after the Approved output running,
 * against n8n's core Wait node (Resume: On Webhook Call) resumed by a POST to
 * its resume URL with the same node after it.
 *
 * The node after both is the same HTTP Request node, calling a listener in
 * this process: its arrival is the end of the measure. What comes before the
 * POST (the run that starts the wait, the review page a reviewer opens) is
 * not timed. The AgentMail sandbox runs in this process.
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

import { createAgentMailCredential } from '../scripts/lib/agentmail';
import { buildAndPack } from '../scripts/lib/build';
import { httpRequest } from '../scripts/lib/http';
import { N8nApi, type WorkflowInput, type WorkflowNode } from '../scripts/lib/n8nApi';
import { REPO_DIR, N8N_SCRIPT } from '../scripts/lib/repo';
import { formFields } from '../scripts/lib/review-form';
import { run } from '../scripts/lib/run';
import { SandboxClient } from '../scripts/lib/sandboxAdmin';
import { startSandbox } from '../sandbox';

const PORT = Number(process.env.N8N_BENCH_PORT ?? 5691);
const RUN_DIR = path.resolve(REPO_DIR, process.env.N8N_BENCH_RUN_DIR ?? path.join('.n8n-run', 'bench'));
const API_KEY = 'am_bench_sandbox_key';
const PACKAGE = 'n8n-nodes-agentmail-hitl';
const log = (message: string) => process.stderr.write(`[bench-approval] ${message}\n`);

const n8nEnv = (): NodeJS.ProcessEnv => ({
	...process.env,
	N8N_PORT: String(PORT),
	N8N_E2E_BROKER_PORT: String(PORT + 1),
	N8N_E2E_RUN_DIR: RUN_DIR,
});
const n8nScript = (args: string[], label = 'bench-n8n') => run('bash', [N8N_SCRIPT, ...args], { label, env: n8nEnv() });

/** Where the node after Approved / after Wait reports in; resolves the waiter for a tag. */
class Listener {
	private server?: Server;
	private waiters = new Map<string, (body: Record<string, unknown>) => void>();
	private early = new Map<string, Record<string, unknown>>();
	url = '';

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
				let body: Record<string, unknown> = {};
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
				} catch {
					// not JSON: no tag
				}
				const key = `${req.url}:${String(body.tag)}`;
				const waiter = this.waiters.get(key);
				if (waiter) {
					this.waiters.delete(key);
					waiter(body);
				} else {
					this.early.set(key, body);
				}
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	}

	next(route: string, tag: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
		const key = `${route}:${tag}`;
		const early = this.early.get(key);
		if (early) {
			this.early.delete(key);
			return Promise.resolve(early);
		}
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`nothing reached ${route} for ${tag} within ${timeoutMs} ms`)), timeoutMs);
			this.waiters.set(key, (body) => {
				clearTimeout(timer);
				resolve(body);
			});
		});
	}

	close(): void {
		this.server?.close();
	}
}

type Variant = 'send' | 'keep' | 'wait';

interface Setup {
	api: N8nApi;
	n8nUrl: string;
	listener: Listener;
	outbox: SandboxClient;
	close(): Promise<void>;
}

const TAG = '={{ $("Webhook").item.json.body.tag }}';

function report(name: string, url: string, fields: Record<string, string>): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			contentType: 'json',
			bodyParameters: { parameters: Object.entries(fields).map(([key, value]) => ({ name: key, value })) },
			options: {},
		},
	} as WorkflowNode;
}

function webhook(pathName: string): WorkflowNode {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: pathName,
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'onReceived', options: {} },
	} as WorkflowNode;
}

function approvalWorkflow(variant: 'send' | 'keep', credential: { id: string; name: string }, inbox: string, listener: string): WorkflowInput {
	const rl = (value: string) => ({ __rl: true, mode: 'id', value });
	const credentials = { agentMailApi: credential };
	return {
		name: `bench approval ${variant}`,
		nodes: [
			webhook(`bench-approval-${variant}`),
			{
				name: 'Create Draft',
				type: `${PACKAGE}.agentMail`,
				typeVersion: 1,
				position: [200, 0],
				credentials,
				parameters: { resource: 'draft', operation: 'create', inboxId: rl(inbox), to: 'customer@example.com', subject: `=bench ${TAG}`, text: 'Your refund is approved.' },
			},
			{
				name: 'Wait for Approval',
				type: `${PACKAGE}.agentMailWaitForApproval`,
				typeVersion: 1,
				position: [400, 0],
				credentials,
				webhookId: `bench-approval-wait-${variant}`,
				parameters: {
					inboxId: rl(inbox),
					draftId: rl('={{ $json.draft_id }}'),
					limitAmount: 1,
					limitUnit: 'hours',
					onTimeout: 'reject',
					onApproval: variant,
					onRejection: 'label',
					notification: 'email',
					approvers: 'reviewer@example.com',
					notifyInbox: rl(inbox),
					requestedBy: 'bench',
					options: {},
				},
			},
			report('Approved', `${listener}/done`, { tag: TAG }),
		] as WorkflowNode[],
		connections: {
			Webhook: { main: [[{ node: 'Create Draft', type: 'main', index: 0 }]] },
			'Create Draft': { main: [[{ node: 'Wait for Approval', type: 'main', index: 0 }]] },
			'Wait for Approval': { main: [[{ node: 'Approved', type: 'main', index: 0 }], []] },
		},
	};
}

function waitWorkflow(listener: string): WorkflowInput {
	return {
		name: 'bench core wait',
		nodes: [
			webhook('bench-core-wait'),
			report('Resume URL', `${listener}/resume`, { tag: TAG, url: '={{ $execution.resumeUrl }}' }),
			{
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [400, 0],
				webhookId: 'bench-core-wait-resume',
				parameters: { resume: 'webhook', httpMethod: 'POST', options: {} },
			},
			report('Approved', `${listener}/done`, { tag: TAG }),
		] as WorkflowNode[],
		connections: {
			Webhook: { main: [[{ node: 'Resume URL', type: 'main', index: 0 }]] },
			'Resume URL': { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: [[{ node: 'Approved', type: 'main', index: 0 }]] },
		},
	};
}

/** Build + pack, a fresh n8n user folder with the package, the sandbox and n8n started, the three workflows published. */
export async function setUpApproval(): Promise<Setup> {
	fs.mkdirSync(RUN_DIR, { recursive: true });
	const [, tgz] = await Promise.all([n8nScript(['install'], 'bench-n8n-install'), buildAndPack(RUN_DIR)]);
	await n8nScript(['stop']);
	// a fresh user folder: no workflows or webhooks of an earlier run
	fs.rmSync(path.join(RUN_DIR, 'home'), { recursive: true, force: true });
	await n8nScript(['add-package', tgz], 'bench-add-package');
	const dataFile = path.join(RUN_DIR, 'sandbox.json');
	fs.rmSync(dataFile, { force: true });
	const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', dataFile, apiKey: API_KEY });
	const listener = new Listener();
	await listener.start();
	let started = false;
	const close = async () => {
		listener.close();
		if (started) await n8nScript(['stop']).catch((error: Error) => log(`stopping n8n failed: ${error.message}`));
		await sandbox.close();
	};
	try {
		started = true;
		await n8nScript(['start']);
		const read = (name: string) => fs.readFileSync(path.join(RUN_DIR, name), 'utf8').trim();
		const n8nUrl = read('url');
		const api = new N8nApi(n8nUrl, read('api-key'));
		const credential = await createAgentMailCredential(api, { name: 'bench sandbox', apiKey: API_KEY, baseUrl: sandbox.url });
		const ref = { id: credential.id, name: credential.name };
		for (const workflow of [
			approvalWorkflow('send', ref, sandbox.inboxId, listener.url),
			approvalWorkflow('keep', ref, sandbox.inboxId, listener.url),
			waitWorkflow(listener.url),
		]) {
			await api.createAndActivate(workflow);
		}
		return { api, n8nUrl, listener, outbox: new SandboxClient({ url: sandbox.url, apiKey: '' }), close };
	} catch (error) {
		await close();
		throw error;
	}
}

/** POSTs the webhook until it is registered (publishing registers it asynchronously). */
async function trigger(setup: Setup, pathName: string, tag: string): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		const answer = await httpRequest(`${setup.n8nUrl}/webhook/${pathName}`, { method: 'POST', body: { tag } });
		if (answer.status === 200) return;
		if (answer.status !== 404 || attempt > 40) throw new Error(`webhook ${pathName}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

async function reviewLinkFor(setup: Setup, tag: string): Promise<string> {
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
		const mail = (await setup.outbox.outbox()).find((m) => m.text?.includes(tag) && /\/webhook-waiting\//.test(m.text ?? ''));
		const link = mail?.text?.match(/https?:\/\/\S+\/webhook-waiting\/\S+/)?.[0];
		if (link) return link;
	}
	throw new Error(`no approval request for ${tag} in the sandbox outbox`);
}

/** The execution in a /webhook-waiting/<id>/... URL saved as waiting (the notification goes out before n8n saves it so). */
async function waitingAt(setup: Setup, url: string): Promise<void> {
	const id = new URL(url).pathname.split('/')[2];
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
		if ((await setup.api.getExecution(id, { includeData: false })).status === 'waiting') return;
	}
	throw new Error(`execution ${id} is not waiting after 30 s`);
}

let counter = 0;

/** One decision: starts a run, waits until it waits, then times POST → the node after Approved (ms). */
export async function decide(setup: Setup, variant: Variant): Promise<number> {
	const tag = `t${Date.now().toString(36)}${counter++}`;
	if (variant === 'wait') {
		await trigger(setup, 'bench-core-wait', tag);
		const { url } = await setup.listener.next('/resume', tag);
		await waitingAt(setup, String(url));
		const done = setup.listener.next('/done', tag);
		const start = performance.now();
		const answer = await httpRequest(String(url), { method: 'POST', body: {} });
		if (answer.status >= 400) throw new Error(`Wait resume: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
		await done;
		return performance.now() - start;
	}
	await trigger(setup, `bench-approval-${variant}`, tag);
	const link = await reviewLinkFor(setup, tag);
	await waitingAt(setup, link);
	const page = await httpRequest(link);
	if (page.status !== 200) throw new Error(`review page: HTTP ${page.status} ${page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
	const body = new URLSearchParams({ ...formFields(page.text), reviewer: 'bench', decision: 'approve' }).toString();
	const done = setup.listener.next('/done', tag);
	const start = performance.now();
	const answer = await httpRequest(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	if (answer.status >= 400) throw new Error(`decision: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
	await done;
	return performance.now() - start;
}
