/**
 * Jest globalSetup of the queue-mode suite (jest.e2e-queue.config.js,
 * `npm run test:e2e:queue`):
 *   1. in parallel: Postgres, Redis (Debian packages, when missing) and n8n
 *      into the cache (scripts/queue.sh install), build + `npm pack` this
 *      package, compile the AgentMail sandbox;
 *   2. stop what an interrupted run left, then a fresh database, Redis dir
 *      and user folder (scripts/queue.sh reset) with the packed package
 *      installed as a community package (scripts/queue.sh add-package);
 *   3. the AgentMail sandbox (in this process), then scripts/queue.sh start:
 *      Postgres, Redis, main, worker, webhook processes A and B, owner + API key;
 *   4. check the package's node types are loaded, create the AgentMail
 *      credential, write <runDir>/e2e-state.json (the shape the single-process
 *      suite's helpers read, plus `queue`).
 * globalTeardown stops all of it by PID. On failure everything started so
 * far is stopped before the error is rethrown.
 */
import * as fs from 'fs';
import * as path from 'path';

import { createAgentMailCredential } from '../../scripts/lib/agentmail';
import { allSteps, buildAndPack } from '../../scripts/lib/build';
import { N8nApi, loadedNodeTypes } from '../../scripts/lib/n8nApi';
import { run } from '../../scripts/lib/run';
import { compileSandbox, startSandbox, type SandboxHandle } from '../globalSetup';
import { QUEUE_SCRIPT, stateFile, type E2eState } from '../helpers/env';
import { queueScriptEnv, queueSettings } from './settings';

const PACKAGE_NAME = 'n8n-nodes-agentmail-hitl';

/** Shared with globalTeardown (same process). */
export interface QueueGlobals {
	__QUEUE_SANDBOX__?: SandboxHandle;
	__QUEUE_STARTED__?: boolean;
}
const globals = globalThis as typeof globalThis & QueueGlobals;

const log = (message: string) => process.stderr.write(`[queue-setup] ${message}\n`);

/** scripts/queue.sh SUBCOMMAND with this suite's ports and run dir. */
export function queueScript(args: string[], label = 'queue'): Promise<string> {
	return run('bash', [QUEUE_SCRIPT, ...args], { label, env: queueScriptEnv() });
}

/** Stop n8n, Redis and Postgres (unless `keep`), and close the sandbox. */
export async function stopQueueEverything(keep = false): Promise<void> {
	if (globals.__QUEUE_STARTED__ && !keep) {
		await queueScript(['stop']).catch((error: Error) => log(`stopping failed: ${error.message}`));
		globals.__QUEUE_STARTED__ = false;
	}
	if (globals.__QUEUE_SANDBOX__) {
		await globals.__QUEUE_SANDBOX__.close();
		globals.__QUEUE_SANDBOX__ = undefined;
	}
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
	const settings = queueSettings();
	// The single-process suite's helpers (e2eState(), agentMailSandbox(), ...)
	// read <N8N_E2E_RUN_DIR>/e2e-state.json: point them at this run dir.
	process.env.N8N_E2E_RUN_DIR = settings.runDir;
	fs.mkdirSync(settings.runDir, { recursive: true });
	fs.rmSync(stateFile(), { force: true });
	log(`main :${settings.mainPort}, webhook A :${settings.webhookAPort}, B :${settings.webhookBPort}, worker :${settings.workerPort}, ` +
		`Postgres :${settings.pgPort}, Redis :${settings.redisPort}, run dir ${settings.runDir}`);

	try {
		const [, tgz, sandboxModule] = await allSteps<[string, string, string | null]>([
			queueScript(['install'], 'queue-install'),
			buildAndPack(settings.runDir),
			compileSandbox(),
		]);
		if (!sandboxModule) throw new Error('no sandbox/index.ts: the queue suite needs the AgentMail sandbox');
		log(`prepared in ${seconds()} (packed ${path.basename(tgz)})`);

		// Whatever an interrupted run left holds the ports; then start from nothing.
		await queueScript(['stop']);
		await queueScript(['reset']);
		await queueScript(['add-package', tgz], 'add-package');
		const packages = readJson<{ dependencies: Record<string, string> }>(
			path.join(settings.runDir, 'home', '.n8n', 'nodes', 'package.json'),
		).dependencies;

		globals.__QUEUE_SANDBOX__ = await startSandbox(sandboxModule, settings.sandboxPort, settings.runDir);
		const sandbox = globals.__QUEUE_SANDBOX__;

		globals.__QUEUE_STARTED__ = true;
		const started = Date.now();
		await queueScript(['start']);
		log(`Postgres, Redis and the 4 n8n processes up in ${((Date.now() - started) / 1000).toFixed(1)}s`);

		const read = (name: string) => fs.readFileSync(path.join(settings.runDir, name), 'utf8').trim();
		const n8n: E2eState['n8n'] = {
			url: read('url'),
			runDir: settings.runDir,
			apiKey: read('api-key'),
			owner: readJson(path.join(settings.runDir, 'owner.json')),
			pid: Number(read('main.pid')),
		};
		const types = (await loadedNodeTypes(n8n)).map((t) => t.name).filter((t) => t.startsWith(`${PACKAGE_NAME}.`));
		if (types.length === 0) throw new Error(`the main loaded no node type of ${PACKAGE_NAME}; see ${settings.runDir}/main.log`);
		log(`${PACKAGE_NAME}: ${types.join(', ')}`);

		const credential = await createAgentMailCredential(new N8nApi(n8n.url, n8n.apiKey), {
			name: 'AgentMail sandbox (queue e2e)',
			apiKey: sandbox.apiKey,
			baseUrl: sandbox.url,
		});
		const state: E2eState = {
			n8n,
			sandbox: { url: sandbox.url, port: sandbox.port, apiKey: sandbox.apiKey, inboxId: sandbox.inboxId },
			packages,
			queue: {
				webhookA: `http://127.0.0.1:${settings.webhookAPort}`,
				webhookB: `http://127.0.0.1:${settings.webhookBPort}`,
				worker: `http://127.0.0.1:${settings.workerPort}`,
				credential: { id: credential.id, name: credential.name },
			},
		};
		fs.writeFileSync(stateFile(), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
		log(`ready in ${seconds()}`);
	} catch (error) {
		log(`setup failed after ${seconds()}; stopping what was started`);
		await stopQueueEverything();
		throw error;
	}
}
