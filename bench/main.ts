/**
 * npm run bench [-- --quick]
 *
 * Measures this package's AgentMail node against n8n's own HTTP Request node
 * (loaded from the n8n install that `npm run n8n install` put in the cache)
 * and against a bare pagination loop, through n8n-core's WorkflowExecute (the
 * harness in /harness), against bench/server.ts in a child process (so the
 * server's CPU and memory never count). Variants run interleaved, A/B then
 * B/A; every ratio is the median over the repetitions with min–max.
 *
 * It is not a test and asserts nothing: it prints what it measured, including
 * failures. --quick: small sizes, 2 repetitions, for CI (well under a minute);
 * --only=cpu,wall,list,storm,approval runs some of the scenarios.
 */
import '../harness';

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

import type { IDataObject, INode, INodeExecutionData, INodeType, LoadedClass, ICredentialType } from 'n8n-workflow';

import { decide, setUpApproval } from './approval';
import {
	MANUAL_TRIGGER_TYPE,
	credentialIdFor,
	loadPackage,
	runWorkflow,
	shutdownHarness,
	type HarnessRun,
	type LoadedPackage,
} from '../harness';
import { triggerLatency } from './trigger';

const QUICK = process.argv.includes('--quick');
/** --only=cpu,wall,list,storm,approval,trigger: a subset of the scenarios (while working on one of them). */
const ONLY = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = (scenario: string) => !ONLY || ONLY.includes(scenario);
const REPS = QUICK ? 2 : 5;
const REPO_ROOT = join(__dirname, '..', '..', '..');
const INBOX = 'agent@agentmail.to';
const API_KEY = 'am_bench_key';
const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// ---------------------------------------------------------------- server

let server: ChildProcess;
let base = '';

async function startServer(): Promise<void> {
	server = fork(join(__dirname, 'server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const port = await new Promise<number>((resolve, reject) => {
		server.once('message', (message: { port: number }) => resolve(message.port));
		server.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
	});
	base = `http://127.0.0.1:${port}`;
}

async function admin(path: string, body?: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${base}/_bench/${path}`, {
		method: body ? 'POST' : 'GET',
		headers: { 'content-type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await response.json()) as IDataObject;
}

const configure = async (config: IDataObject) =>
	await admin('config', { latencyMs: 0, drafts: 0, bucket: null, ...config });

// ---------------------------------------------------------------- n8n side

let pkg: LoadedPackage;

/** What one node execution cost, recorded by the wrapper around the node type's execute(). */
interface ExecMeasure {
	cpuMs: number;
	/** The part of cpuMs spent in the kernel (system time): sockets, connection handshakes. */
	systemMs: number;
	wallMs: number;
	/** Heap above the level before execute(), sampled every ms while it ran. */
	peakBytes: number;
	/** Heap still held after execute() (the output), after a full GC. */
	retainedBytes: number;
}

let lastExec: ExecMeasure | undefined;
let measureMemory = false;

/** Heap in use (V8's own figure: no system call, unlike process.memoryUsage()). */
const heapUsed = () => getHeapStatistics().used_heap_size;

/** Heap sampler: the highest heap in use seen since it was created, every 2 ms. */
function sampler() {
	let peak = heapUsed();
	const timer = setInterval(() => {
		const used = heapUsed();
		if (used > peak) peak = used;
	}, 2);
	return {
		stop() {
			clearInterval(timer);
			const used = heapUsed();
			return used > peak ? used : peak;
		},
	};
}

/** Wraps a node type's execute() to measure CPU, wall time and memory of the node alone. */
function instrument(nodeType: INodeType) {
	const original = nodeType.execute!;
	nodeType.execute = async function (this: unknown, ...args: unknown[]) {
		let heapBefore = 0;
		let sample: ReturnType<typeof sampler> | undefined;
		if (measureMemory) {
			gc();
			heapBefore = heapUsed();
			sample = sampler();
		}
		const cpu = process.cpuUsage();
		const start = performance.now();
		const output = (await (original as (...a: unknown[]) => Promise<INodeExecutionData[][]>).apply(this, args));
		const wallMs = performance.now() - start;
		const used = process.cpuUsage(cpu);
		let peakBytes = 0;
		let retainedBytes = 0;
		if (sample) {
			peakBytes = sample.stop() - heapBefore;
			gc();
			retainedBytes = heapUsed() - heapBefore;
		}
		lastExec = { cpuMs: (used.user + used.system) / 1000, systemMs: used.system / 1000, wallMs, peakBytes, retainedBytes };
		return output;
	} as INodeType['execute'];
}

function n8nInstallDir(): string {
	const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
	return process.env.N8N_E2E_CACHE_DIR ?? join(cache, 'n8n-nodes-agentmail-hitl', 'n8n-2.41.1');
}

async function setupN8n(): Promise<void> {
	pkg = await loadPackage(REPO_ROOT);
	const nodesBase = join(n8nInstallDir(), 'n8n', 'node_modules', 'n8n-nodes-base', 'dist');
	const httpNodeFile = join(nodesBase, 'nodes', 'HttpRequest', 'HttpRequest.node.js');
	if (!existsSync(httpNodeFile)) {
		throw new Error(`n8n's HTTP Request node not found at ${httpNodeFile}: run "npm run n8n install" first`);
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require(httpNodeFile);
	const credentialFile = join(nodesBase, 'credentials', 'HttpHeaderAuth.credentials.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpHeaderAuth } = require(credentialFile);
	(pkg.nodeTypes.nodes as Record<string, LoadedClass<unknown>>)[HTTP_REQUEST] = { type: new HttpRequest(), sourcePath: httpNodeFile };
	(pkg.credentialTypes.credentials as Record<string, LoadedClass<ICredentialType>>).httpHeaderAuth = {
		type: new HttpHeaderAuth(),
		sourcePath: credentialFile,
	};
	instrument(pkg.nodeTypes.getByNameAndVersion(pkg.nodeType('agentMail'), 1));
	const http = pkg.nodeTypes.getByName(HTTP_REQUEST) as unknown as { currentVersion: number };
	instrument(pkg.nodeTypes.getByNameAndVersion(HTTP_REQUEST, http.currentVersion));
}

const credentials = () => ({
	agentMailApi: { apiKey: API_KEY, region: 'custom', baseUrl: base },
	httpHeaderAuth: { name: 'Authorization', value: `Bearer ${API_KEY}` },
});

/** Start -> node, with `items` from Start; the node's execute() measure with it. */
async function runNode(node: Partial<INode>, items: IDataObject[]): Promise<{ run: HarnessRun; exec: ExecMeasure }> {
	lastExec = undefined;
	const run = await runWorkflow({
		package: pkg,
		items,
		credentials: credentials(),
		workflow: {
			nodes: [{ name: 'Start', type: MANUAL_TRIGGER_TYPE, typeVersion: 1, parameters: {} }, { name: 'Node', ...node }] as INode[],
			connections: { Start: { main: [[{ node: 'Node', type: 'main', index: 0 }]] } },
		},
	});
	if (run.status !== 'success') throw new Error(`run failed: ${run.error?.message}`);
	if (!lastExec) throw new Error('the node did not execute');
	return { run, exec: lastExec };
}

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

function agentMail(parameters: IDataObject, concurrency?: number): Partial<INode> {
	const requestOptions = concurrency === undefined ? {} : { concurrency };
	return { type: pkg.nodeType('agentMail'), typeVersion: 1, parameters: { ...parameters, requestOptions } as INode['parameters'] };
}

function httpRequest(parameters: IDataObject): Partial<INode> {
	return {
		type: HTTP_REQUEST,
		parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', options: {}, ...parameters } as INode['parameters'],
		credentials: { httpHeaderAuth: { id: credentialIdFor('httpHeaderAuth'), name: 'httpHeaderAuth' } },
	};
}

const getDraft = {
	ours: (concurrency?: number) =>
		agentMail({ resource: 'draft', operation: 'get', inboxId: rl(INBOX), draftId: rl('={{ $json.draft_id }}') }, concurrency),
	http: () => httpRequest({ method: 'GET', url: `=${base}/v0/inboxes/${encodeURIComponent(INBOX)}/drafts/{{ $json.draft_id }}` }),
	items: (count: number) => Array.from({ length: count }, (_, index) => ({ draft_id: `draft_${index}` })),
};

const sendMessage = {
	ours: () =>
		agentMail({
			resource: 'message',
			operation: 'send',
			inboxId: rl(INBOX),
			to: '={{ $json.to }}',
			subject: '={{ $json.subject }}',
			text: '={{ $json.text }}',
		}),
	http: () =>
		httpRequest({
			method: 'POST',
			url: `${base}/v0/inboxes/${encodeURIComponent(INBOX)}/messages/send`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Idempotency-Key', value: '={{ "n8n-" + $execution.id + "-" + $itemIndex }}' }] },
			sendBody: true,
			contentType: 'json',
			bodyParameters: {
				parameters: [
					{ name: 'to', value: '={{ $json.to }}' },
					{ name: 'subject', value: '={{ $json.subject }}' },
					{ name: 'text', value: '={{ $json.text }}' },
				],
			},
		}),
	items: (count: number, tag: string) =>
		Array.from({ length: count }, (_, index) => ({
			to: `customer-${index}@example.com`,
			subject: `About your order ${index}`,
			text: `bench ${tag} item ${index}: we have approved your refund.`,
		})),
};

// ---------------------------------------------------------------- statistics

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value: number, digits = 2) => value.toFixed(digits);
const spread = (values: number[], digits = 2) =>
	`${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

interface Row {
	work: string;
	ours: string;
	against: string;
	ratio: string;
	goal: string;
}
const rows: Row[] = [];
const notes: string[] = [];

function ratioRow(work: string, unit: string, ours: number[], against: number[], againstName: string, goal: string, digits = 2) {
	const ratios = ours.map((value, index) => value / against[index]);
	rows.push({
		work,
		ours: `${fmt(median(ours), digits)} ${unit}`,
		against: `${fmt(median(against), digits)} ${unit} (${againstName})`,
		ratio: `${spread(ratios)}×`,
		goal,
	});
	console.log(`  ${work}: ${spread(ratios)}× (${fmt(median(ours), digits)} vs ${fmt(median(against), digits)} ${unit})`);
}

/** Runs the variants `reps` times, interleaved (A B, then B A, ...). */
async function interleaved<T>(reps: number, variants: Array<() => Promise<T>>): Promise<T[][]> {
	const results: T[][] = variants.map(() => []);
	for (let rep = 0; rep < reps; rep++) {
		const order = variants.map((_, index) => index);
		if (rep % 2) order.reverse();
		for (const index of order) results[index].push(await variants[index]());
	}
	return results;
}

// ---------------------------------------------------------------- scenarios

async function cpuPerItem(): Promise<void> {
	const count = QUICK ? 100 : 1000;
	console.log(`\nCPU per item, ${count} items, near-zero service time`);
	await configure({});
	for (const [name, scenario, items] of [
		['Get Draft', getDraft, () => getDraft.items(count)],
		['Send Message', sendMessage, () => sendMessage.items(count, `cpu-${Date.now()}`)],
	] as const) {
		// warm-up: JIT, connection pool, expression isolates
		await runNode(scenario.ours(), (items as () => IDataObject[])().slice(0, 50));
		await runNode(scenario.http(), (items as () => IDataObject[])().slice(0, 50));
		const traffic: Record<'ours' | 'http', IDataObject[]> = { ours: [], http: [] };
		const kernel: Record<'ours' | 'http', number[]> = { ours: [], http: [] };
		const measured = async (side: 'ours' | 'http', node: Partial<INode>) => {
			await admin('reset');
			const { exec } = await runNode(node, (items as () => IDataObject[])());
			traffic[side].push(await admin('stats'));
			kernel[side].push(exec.systemMs / exec.cpuMs);
			return exec.cpuMs / count;
		};
		const [ours, http] = await interleaved(REPS, [
			async () => await measured('ours', scenario.ours()),
			async () => await measured('http', scenario.http()),
		]);
		ratioRow(`${name}, ${count} items, CPU per item`, 'ms', ours, http, 'HTTP Request node', '≤ 1.0×', 3);
		const shape = (side: 'ours' | 'http') => {
			const of = (field: string) => median(traffic[side].map((stat) => Number(stat[field])));
			return `${of('requests')} requests on ${of('connections')} connections, at most ${of('peakOpen')} open at once`;
		};
		// n8n's HTTP helper opens a connection per request on both sides; how many are open at once is the difference.
		notes.push(`${name}, CPU scenario, as the server saw it (median run): this node ${shape('ours')}; HTTP Request node ${shape('http')}`);
		console.log(`    this node: ${shape('ours')}; HTTP Request node: ${shape('http')}`);
		// How much of the CPU is the kernel's (sockets, handshakes): small, so the rest is JavaScript.
		const share = (side: 'ours' | 'http') => `${fmt(median(kernel[side]) * 100, 0)}%`;
		notes.push(`${name}, CPU scenario, kernel (system) share of CPU (median): this node ${share('ours')}, HTTP Request node ${share('http')}`);
		console.log(`    kernel share of CPU: this node ${share('ours')}, HTTP Request node ${share('http')}`);
	}
}

async function wallAtLatency(): Promise<void> {
	const count = QUICK ? 40 : 100;
	console.log(`\nWall time, Get Draft, ${count} items, 20 ms round trip`);
	await configure({ latencyMs: 20 });
	const items = getDraft.items(count);
	await runNode(getDraft.ours(), items.slice(0, 10));
	await runNode(getDraft.http(), items.slice(0, 10));
	const levels = QUICK ? [1, 20] : [1, 5, 10, 20, 50];
	const variants = [
		async () => (await runNode(getDraft.ours(), items)).exec,
		async () => (await runNode(getDraft.http(), items)).exec,
		...levels.map((level) => async () => (await runNode(getDraft.ours(level), items)).exec),
	];
	const [ours, http, ...byLevel] = await interleaved(REPS, variants);
	const wall = (measures: ExecMeasure[]) => measures.map((m) => m.wallMs);
	ratioRow(`Get Draft, ${count} items at 20 ms, wall (default concurrency)`, 'ms', wall(ours), wall(http), 'HTTP Request node', '≤ 1.2×', 0);
	levels.forEach((level, index) =>
		ratioRow(`  … with Concurrency ${level}`, 'ms', wall(byLevel[index]), wall(http), 'HTTP Request node', '(for the default)', 0),
	);
	const cpu = (measures: ExecMeasure[]) => fmt(median(measures.map((m) => m.cpuMs)), 0);
	notes.push(
		`20 ms round trip, CPU of the node during those runs: HTTP Request ${cpu(http)} ms; this node ${cpu(ours)} ms (default), ` +
			levels.map((level, index) => `${cpu(byLevel[index])} ms (Concurrency ${level})`).join(', '),
	);
}

/** The bare loop: fetch + JSON, every page's drafts kept in one array. */
async function bareLoop(): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	let token: string | undefined;
	do {
		const url = `${base}/v0/inboxes/${encodeURIComponent(INBOX)}/drafts?limit=100${token ? `&page_token=${token}` : ''}`;
		const response = await fetch(url, { headers: { Authorization: `Bearer ${API_KEY}`, Accept: 'application/json' } });
		const body = (await response.json()) as { drafts: IDataObject[]; next_page_token?: string };
		for (const draft of body.drafts) all.push(draft);
		token = body.next_page_token;
	} while (token);
	return all;
}

async function measureBare(): Promise<ExecMeasure & { count: number }> {
	gc();
	const heapBefore = heapUsed();
	const sample = sampler();
	const start = performance.now();
	const drafts = await bareLoop();
	const wallMs = performance.now() - start;
	const peakBytes = sample.stop() - heapBefore;
	gc();
	const retainedBytes = heapUsed() - heapBefore;
	return { cpuMs: 0, systemMs: 0, wallMs, peakBytes, retainedBytes, count: drafts.length };
}

async function returnAll(): Promise<void> {
	const sizes = process.env.BENCH_LIST_SIZES ? process.env.BENCH_LIST_SIZES.split(',').map(Number) : QUICK ? [1000] : [1000, 10_000, 50_000];
	const mb = (bytes: number) => bytes / 1024 / 1024;
	for (const size of sizes) {
		console.log(`\nReturn All over ${size} drafts`);
		await configure({ drafts: size });
		const node = agentMail({ resource: 'draft', operation: 'list', inboxId: rl(INBOX), returnAll: true });
		measureMemory = true;
		try {
			const [ours, bare] = await interleaved(REPS, [
				async () => {
					const { run, exec } = await runNode(node, [{}]);
					const count = run.output('Node').length;
					if (count !== size) notes.push(`Return All ${size}: the node gave ${count} items`);
					return exec;
				},
				async () => await measureBare(),
			]);
			ratioRow(`Return All ${size}, time`, 'ms', ours.map((m) => m.wallMs), bare.map((m) => m.wallMs), 'bare loop', '≤ 2×', 0);
			ratioRow(`Return All ${size}, peak heap`, 'MB', ours.map((m) => mb(m.peakBytes)), bare.map((m) => mb(m.peakBytes)), 'bare loop', '≤ 1.5×', 1);
			ratioRow(`Return All ${size}, heap kept (output)`, 'MB', ours.map((m) => mb(m.retainedBytes)), bare.map((m) => mb(m.retainedBytes)), 'bare loop', '—', 1);
			const perDraft = (values: ExecMeasure[]) => fmt(median(values.map((m) => m.retainedBytes / size)) / 1024, 2);
			notes.push(`Return All ${size}: kept per draft ${perDraft(ours)} KB (node output) vs ${perDraft(bare)} KB (bare loop)`);
		} finally {
			measureMemory = false;
		}
	}
}

interface StormResult {
	wallMs: number;
	failed: number;
	lost: number;
	duplicated: number;
	limited: number;
	minimumMs: number;
	/** Time the server's bucket sat full after the first send: capacity nobody used. */
	fullMs: number;
	/** First to last admitted send, as the server saw it. */
	serverSpanMs: number;
}

/** `runs` executions at once, `perRun` sends each, against a token bucket; counts from the server. */
async function storm(runs: number, perRun: number, capacity: number, perSecond: number, tag: string): Promise<StormResult> {
	await configure({ bucket: { capacity, perSecond } });
	const start = performance.now();
	const results = await Promise.all(
		Array.from({ length: runs }, async (_, run) => {
			try {
				const { run: done } = await runNode(sendMessage.ours(), sendMessage.items(perRun, `${tag}-run${run}`));
				return done.output('Node').filter((item) => item.json.message_id).length;
			} catch {
				return 0;
			}
		}),
	);
	const wallMs = performance.now() - start;
	const stats = await admin('stats');
	const total = runs * perRun;
	const delivered = Number(stats.distinctEmails);
	return {
		wallMs,
		failed: total - results.reduce((sum, value) => sum + value, 0),
		lost: total - delivered,
		duplicated: Number(stats.duplicateEmails),
		limited: Number(stats.limited),
		minimumMs: (Math.max(total - capacity, 0) / perSecond) * 1000,
		fullMs: Number(stats.fullMs),
		serverSpanMs: Number(stats.lastAdmitAt) - Number(stats.firstAdmitAt),
	};
}

async function storms(): Promise<void> {
	const single = QUICK ? { sends: 30, capacity: 10, perSecond: 10 } : { sends: 200, capacity: 20, perSecond: 20 };
	const competing = QUICK ? { runs: 10, sends: 3, capacity: 5, perSecond: 10 } : { runs: 10, sends: 10, capacity: 5, perSecond: 5 };
	console.log(
		`\n429 storm: 1 run × ${single.sends} sends (bucket ${single.capacity}, ${single.perSecond}/s), ` +
			`${competing.runs} runs × ${competing.sends} sends at once (bucket ${competing.capacity}, ${competing.perSecond}/s), Retry-After 1`,
	);
	const [one, many] = await interleaved(REPS, [
		async () => await storm(1, single.sends, single.capacity, single.perSecond, `one-${Date.now()}`),
		async () => await storm(competing.runs, competing.sends, competing.capacity, competing.perSecond, `many-${Date.now()}`),
	]);
	const sum = (values: StormResult[], key: keyof StormResult) => values.reduce((total, value) => total + value[key], 0);
	for (const [label, results] of [
		[`1 run, ${single.sends} sends`, one],
		[`${competing.runs} competing runs, ${competing.runs * competing.sends} sends`, many],
	] as const) {
		const ratios = results.map((result) => result.wallMs / result.minimumMs);
		rows.push({
			work: `429 storm, ${label}: time vs the limit's minimum`,
			ours: `${fmt(median(results.map((r) => r.wallMs)) / 1000, 1)} s`,
			against: `${fmt(results[0].minimumMs / 1000, 1)} s (minimum)`,
			ratio: `${spread(ratios)}×`,
			goal: label.startsWith('1 run') ? '≤ 1.05×' : '—',
		});
		rows.push({
			work: `429 storm, ${label}: failed / lost / duplicated (all reps)`,
			ours: `${sum(results, 'failed')} / ${sum(results, 'lost')} / ${sum(results, 'duplicated')}`,
			against: `${sum(results, 'limited')} × 429 answered`,
			ratio: '',
			goal: '0 / 0 / 0',
		});
		console.log(`  ${label}: ${spread(ratios)}× minimum; failed ${sum(results, 'failed')}, lost ${sum(results, 'lost')}, duplicated ${sum(results, 'duplicated')}`);
		const ms = (pick: (result: StormResult) => number) => fmt(median(results.map(pick)), 0);
		const where =
			`bucket full (capacity unused) ${ms((r) => r.fullMs)} ms, first to last send ${ms((r) => r.serverSpanMs)} ms ` +
			`(minimum ${fmt(results[0].minimumMs, 0)}), before the first and after the last send ${ms((r) => r.wallMs - r.serverSpanMs)} ms`;
		console.log(`    where the time went (medians): ${where}`);
		notes.push(`429 storm, ${label}: ${where}`);
	}
}

/** Decision POST → the node after Approved, in a real n8n, against n8n's Wait node resumed by its webhook. */
async function approval(): Promise<void> {
	console.log('\nApproval decision POST → node after Approved, real n8n (packed package), against n8n\'s Wait node');
	const setup = await setUpApproval();
	try {
		// warm-up: first webhook calls, first executions, the review page
		for (const variant of ['send', 'keep', 'wait'] as const) await decide(setup, variant);
		const [send, keep, wait] = await interleaved(REPS, [
			async () => await decide(setup, 'send'),
			async () => await decide(setup, 'keep'),
			async () => await decide(setup, 'wait'),
		]);
		ratioRow('Approval decision → Approved branch, Send Now', 'ms', send, wait, "n8n's Wait node", '≤ 1.5×', 0);
		ratioRow('Approval decision → Approved branch, Keep', 'ms', keep, wait, "n8n's Wait node", '≤ 1.5×', 0);
	} finally {
		await setup.close();
	}
}

function printTable(): void {
	const header: Row = { work: 'Work', ours: 'This package (median)', against: 'Against (median)', ratio: 'Ratio, median (min–max)', goal: 'Goal' };
	const all = [header, ...rows];
	const widths = (Object.keys(header) as Array<keyof Row>).map((key) => Math.max(...all.map((row) => row[key].length)));
	const line = (row: Row) =>
		`| ${(Object.keys(header) as Array<keyof Row>).map((key, index) => row[key].padEnd(widths[index])).join(' | ')} |`;
	console.log(`\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
	for (const row of rows) console.log(line(row));
	for (const note of notes) console.log(`- ${note}`);
	console.log(
		`- ${REPS} repetitions per row, interleaved; Node ${process.version}; CPU and memory of the node's execute() only ` +
			'(the harness saving the run is not counted for either side); the HTTP Request node authenticates with Header Auth.',
	);
}

async function main(): Promise<void> {
	if (!(globalThis as { gc?: unknown }).gc) console.log('(run with node --expose-gc for memory figures)');
	await startServer();
	await setupN8n();
	console.log(`n8n-nodes-agentmail-hitl benchmark${QUICK ? ' (quick)' : ''}: ${REPS} repetitions, interleaved`);
	if (wanted('cpu')) await cpuPerItem();
	if (wanted('wall')) await wallAtLatency();
	if (wanted('list')) await returnAll();
	if (wanted('storm')) await storms();
	if (wanted('approval')) await approval();
	if (wanted('trigger')) await triggerLatency({ pkg, reps: REPS, nodesBase: join(n8nInstallDir(), 'n8n', 'node_modules', 'n8n-nodes-base', 'dist'), ratioRow, notes });
	printTable();
}

main()
	.catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(async () => {
		server?.kill();
		await shutdownHarness();
	});
