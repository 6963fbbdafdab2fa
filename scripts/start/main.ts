/**
 * `npm start`: build and pack this package, start the AgentMail sandbox and
 * a real n8n with the package installed as a community package, set up the
 * demo (agent and approver credentials, example workflows, approval demo published), print how
 * to use it, then stay in the foreground: new sandbox mail is reported as it
 * is sent; Ctrl-C / SIGTERM stop n8n and the sandbox (exit 0); if either
 * dies, the other is stopped and the exit code is 1.
 * Settings: see settings.ts. Re-runs: see demo.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

import { allSteps, buildAndPack } from '../lib/build';
import { N8nApi } from '../lib/n8nApi';
import { logTail } from '../lib/processes';
import { readyBanner } from './banner';
import { APPROVAL_WEBHOOK_PATH, setUpDemo } from './demo';
import { checkNodeTypes, n8nAlive, n8nScript, readN8nInstance, stopN8n } from './n8nInstance';
import { describeMail, watchOutbox } from './outbox';
import { setUpReplyAgent } from './replyAgent';
import { startSandboxProcess, stopLeftoverSandbox, type SandboxProcess } from './sandboxProcess';
import { REPO_DIR, startSettings } from './settings';
import { writeState, type StartState } from './state';

const t0 = Date.now();
const log = (message: string) => process.stderr.write(`[start] ${message}\n`);
const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const settings = startSettings();
const relRunDir = path.relative(REPO_DIR, settings.runDir);

/** What has been started so far, so that stopping stops exactly that. */
const started: { sandbox?: SandboxProcess; n8n: boolean; timers: Array<{ stop(): void }> } = { n8n: false, timers: [] };
let stopping: Promise<void> | undefined;

/** Stop everything that was started (once), then exit with `code`. */
function stopAll(reason: string, code: number): Promise<void> {
	if (stopping) {
		log(`${reason}; already stopping, please wait`);
		return stopping;
	}
	log(`${reason}; stopping ${code === 0 ? 'n8n and the sandbox' : 'everything else'}`);
	stopping = (async () => {
		started.timers.forEach((timer) => timer.stop());
		fs.rmSync(settings.stateFile, { force: true });
		await Promise.all([
			started.n8n ? stopN8n(settings) : undefined,
			started.sandbox?.stop().then((wasRunning) => wasRunning && log(`stopped the sandbox (pid ${started.sandbox?.pid})`)),
		]);
		log(`${code === 0 ? 'stopped' : 'stopped after a failure'}; data kept in ${relRunDir}/`);
		process.exit(code);
	})();
	return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => void stopAll(`${signal} received`, 0));
}

/** Every second: n8n still alive, and `npm start`'s parent still there (a SIGTERM to npm alone orphans this process). */
function monitor(n8nPid: number, sandbox: SandboxProcess, logFile: string): void {
	const parent = process.ppid;
	const timer = setInterval(() => {
		if (!n8nAlive(n8nPid)) {
			process.stderr.write(`${logTail(logFile)}\n`);
			void stopAll(`n8n (pid ${n8nPid}) exited unexpectedly, end of ${path.relative(REPO_DIR, logFile)} above`, 1);
		} else if (process.ppid !== parent) {
			void stopAll('the parent process (npm) went away', 0);
		}
	}, 1_000);
	started.timers.push({ stop: () => clearInterval(timer) });
	void sandbox.exited.then((how) => {
		if (stopping) return;
		process.stderr.write(`${logTail(sandbox.logFile)}\n`);
		void stopAll(`the sandbox (pid ${sandbox.pid}) exited unexpectedly (${how}), end of ${path.relative(REPO_DIR, sandbox.logFile)} above`, 1);
	});
}

async function main(): Promise<void> {
	fs.mkdirSync(settings.runDir, { recursive: true });
	fs.rmSync(settings.stateFile, { force: true });
	log(`n8n on 127.0.0.1:${settings.n8nPort}, AgentMail sandbox on 127.0.0.1:${settings.sandboxPort}, run dir ${relRunDir}/`);

	// n8n is installed once into a cache shared by all clones (minutes the first time).
	const [, tgz] = await allSteps<[string, string]>([n8nScript(settings, ['install'], 'n8n-install'), buildAndPack(settings.runDir)]);
	log(`built, packed ${path.basename(tgz)}, n8n installed (${seconds()})`);

	// Leftovers of an earlier run that was killed hard; n8n must be stopped to take the new package.
	await n8nScript(settings, ['stop']);
	await stopLeftoverSandbox(settings);
	await n8nScript(settings, ['add-package', tgz], 'add-package');

	started.sandbox = await startSandboxProcess(settings);
	const sandbox = started.sandbox;
	log(`AgentMail sandbox at ${sandbox.url} (pid ${sandbox.pid}, data ${path.relative(REPO_DIR, settings.sandboxDataFile)})`);

	started.n8n = true;
	await n8nScript(settings, ['start']);
	const n8n = readN8nInstance(settings.runDir);
	const nodeTypes = await checkNodeTypes(n8n);
	log(`n8n loaded ${nodeTypes.join(', ')}`);

	const demo = await setUpDemo(new N8nApi(n8n.url, n8n.apiKey), sandbox);
	for (const credential of Object.values(demo.credentials)) log(`credential "${credential.name}" ${credential.action}`);
	const replyAgent = await setUpReplyAgent(new N8nApi(n8n.url, n8n.apiKey), demo.credentials);
	for (const workflow of [demo.approval, demo.lifecycle, replyAgent]) {
		log(`workflow "${workflow.name}" ${workflow.action}${workflow.active ? ', published' : ''}`);
	}

	const state: StartState = {
		readyAfterSeconds: (Date.now() - t0) / 1000,
		n8n: { url: n8n.url, pid: n8n.pid, owner: n8n.owner, apiKey: n8n.apiKey, runDir: settings.runDir, logFile: n8n.logFile, nodeTypes },
		sandbox: {
			url: sandbox.url,
			apiKey: sandbox.apiKey,
			inboxId: sandbox.inboxId,
			pid: sandbox.pid,
			dataFile: settings.sandboxDataFile,
			logFile: sandbox.logFile,
		},
		credentials: {
			agent: { id: demo.credentials.agent.id, name: demo.credentials.agent.name, apiKey: sandbox.keys.agent },
			approver: { id: demo.credentials.approver.id, name: demo.credentials.approver.name, apiKey: sandbox.keys.approver },
		},
		workflows: {
			approval: { id: demo.approval.id, name: demo.approval.name, webhookUrl: `${n8n.url}/webhook/${APPROVAL_WEBHOOK_PATH}` },
			lifecycle: { id: demo.lifecycle.id, name: demo.lifecycle.name },
			replyAgent: { id: replyAgent.id, name: replyAgent.name },
		},
	};
	monitor(n8n.pid, sandbox, n8n.logFile);
	started.timers.push(await watchOutbox(sandbox.url, (message) => process.stdout.write(`[mail] ${describeMail(message)}\n`)));
	writeState(settings.stateFile, state);
	process.stdout.write(readyBanner(state));
}

main().catch((error: Error) => {
	if (stopping) return; // a signal came first: its stop is under way (the failure was the interrupted step)
	log(`start-up failed after ${seconds()}:\n${error.message.trimEnd()}`);
	void stopAll('start-up failed', 1);
});
