/**
 * Jest globalSetup of the e2e suite (jest.e2e.config.js):
 *   1. in parallel: install n8n into the cache if needed (scripts/n8n.sh),
 *      Chromium if missing (scripts/chromium.sh), build + `npm pack` this
 *      package, compile the AgentMail sandbox;
 *   2. fresh n8n user folder with the packed package and the test-only fixture
 *      packages (test-e2e/fixtures: a plain node, the scripted chat model)
 *      installed as community packages (scripts/n8n.sh add-package);
 *   3. start the AgentMail sandbox (in this process) and n8n;
 *   4. check the packages' node types are loaded, write <runDir>/e2e-state.json.
 * globalTeardown stops what was started here. On failure everything started
 * so far is stopped before the error is rethrown.
 */
import * as fs from 'fs';
import * as path from 'path';

import { allSteps, buildAndPack as buildAndPackPackage } from '../scripts/lib/build';
import { run } from '../scripts/lib/run';
import {
	CHROMIUM_SCRIPT,
	FIXTURE_PACKAGE_DIR,
	N8N_SCRIPT,
	REPO_DIR,
	SCRIPTED_MODEL_PACKAGE_DIR,
	e2eSettings,
	n8nScriptEnv,
	stateFile,
	type E2eState,
} from './helpers/env';
import { loadedNodeTypes } from './helpers/n8nApi';

/** API key the sandbox accepts (and the AgentMail credential carries). */
export const SANDBOX_API_KEY = 'am_e2e_sandbox_key';

export interface SandboxHandle {
	url: string;
	port: number;
	apiKey: string;
	inboxId: string;
	close(): Promise<void> | void;
}

/** Shared with globalTeardown (same process). */
export interface E2eGlobals {
	__E2E_SANDBOX__?: SandboxHandle;
	__E2E_N8N_STARTED__?: boolean;
}
const globals = globalThis as typeof globalThis & E2eGlobals;

const log = (message: string) => process.stderr.write(`[e2e-setup] ${message}\n`);

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Run scripts/n8n.sh against the e2e instance (its port and run dir). */
function n8nScript(args: string[], label = 'n8n'): Promise<string> {
	return run('bash', [N8N_SCRIPT, ...args], { label, env: n8nScriptEnv() });
}

/** Chromium is only needed by browser tests: a failure here is a warning; launchBrowser() reports it. */
async function ensureChromium(): Promise<void> {
	try {
		await run('bash', [CHROMIUM_SCRIPT, 'install'], { label: 'chromium' });
	} catch (error) {
		log(`warning: Chromium unavailable, browser tests will fail: ${(error as Error).message}`);
	}
}

/** Build this package and `npm pack` it like a publish would; returns the .tgz path, or null if skipped. */
async function buildAndPack(runDir: string): Promise<string | null> {
	if (process.env.E2E_SKIP_MAIN_PACKAGE === '1') {
		log('E2E_SKIP_MAIN_PACKAGE=1: not building or installing n8n-nodes-agentmail-hitl');
		return null;
	}
	const tgz = await buildAndPackPackage(runDir);
	log(`packed ${path.basename(tgz)}`);
	return tgz;
}

/** Compile sandbox/ with tsconfig.sandbox.json; returns the module to load, or null when there is no sandbox yet. */
export async function compileSandbox(): Promise<string | null> {
	if (!fs.existsSync(path.join(REPO_DIR, 'sandbox', 'index.ts'))) {
		log('warning: sandbox/index.ts not found, no AgentMail sandbox (tests that need it will fail)');
		return null;
	}
	await run(path.join(REPO_DIR, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.sandbox.json'], { label: 'sandbox-tsc' });
	return path.join(REPO_DIR, '.build', 'sandbox', 'index.js');
}

export async function startSandbox(modulePath: string, port: number, runDir: string): Promise<SandboxHandle> {
	const dataFile = path.join(runDir, 'agentmail-sandbox.json');
	fs.rmSync(dataFile, { force: true });
	const sandbox = require(modulePath) as {
		startSandbox(options: { port: number; host: string; dataFile: string; apiKey: string }): Promise<SandboxHandle>;
	};
	const handle = await sandbox.startSandbox({ port, host: '127.0.0.1', dataFile, apiKey: SANDBOX_API_KEY });
	log(`AgentMail sandbox at ${handle.url} (inbox ${handle.inboxId}), data ${dataFile}`);
	return handle;
}

/** Stop n8n (unless `keepN8n`) and close the sandbox. */
async function stopEverything(keepN8n = false): Promise<void> {
	if (globals.__E2E_N8N_STARTED__ && !keepN8n) {
		await n8nScript(['stop']).catch((error: Error) => log(`stopping n8n failed: ${error.message}`));
		globals.__E2E_N8N_STARTED__ = false;
	}
	if (globals.__E2E_SANDBOX__) {
		await globals.__E2E_SANDBOX__.close();
		globals.__E2E_SANDBOX__ = undefined;
	}
}

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
	const settings = e2eSettings();
	fs.mkdirSync(settings.runDir, { recursive: true });
	fs.rmSync(stateFile(settings), { force: true });
	log(`n8n on port ${settings.n8nPort}, run dir ${settings.runDir}`);

	try {
		const [, , tgz, sandboxModule] = await allSteps<[string, void, string | null, string | null]>([
			n8nScript(['install'], 'n8n-install'),
			ensureChromium(),
			buildAndPack(settings.runDir),
			compileSandbox(),
		]);
		log(`prepared in ${seconds()}`);

		// An e2e n8n left over from an interrupted run holds the port.
		await n8nScript(['stop']);
		// Fresh user folder (database, nodes) every run: no state leaks between runs.
		fs.rmSync(path.join(settings.runDir, 'home'), { recursive: true, force: true });
		const packages: Record<string, string> = {};
		for (const pkg of [FIXTURE_PACKAGE_DIR, SCRIPTED_MODEL_PACKAGE_DIR, tgz]) {
			if (!pkg) continue;
			await n8nScript(['add-package', pkg], 'add-package');
		}
		const nodesDir = path.join(settings.runDir, 'home', '.n8n', 'nodes');
		Object.assign(packages, readJson<{ dependencies: Record<string, string> }>(path.join(nodesDir, 'package.json')).dependencies);

		if (sandboxModule) {
			globals.__E2E_SANDBOX__ = await startSandbox(sandboxModule, settings.sandboxPort, settings.runDir);
		}

		globals.__E2E_N8N_STARTED__ = true;
		await n8nScript(['start']);

		const sandbox = globals.__E2E_SANDBOX__;
		const state: E2eState = {
			n8n: {
				url: fs.readFileSync(path.join(settings.runDir, 'url'), 'utf8').trim(),
				runDir: settings.runDir,
				apiKey: fs.readFileSync(path.join(settings.runDir, 'api-key'), 'utf8').trim(),
				owner: readJson(path.join(settings.runDir, 'owner.json')),
				pid: Number(fs.readFileSync(path.join(settings.runDir, 'n8n.pid'), 'utf8')),
			},
			sandbox: sandbox
				? { url: sandbox.url, port: sandbox.port, apiKey: sandbox.apiKey, inboxId: sandbox.inboxId }
				: null,
			packages,
		};

		// A package n8n cannot load is only a log line in n8n; fail loudly here.
		const types = (await loadedNodeTypes(state.n8n)).map((t) => t.name);
		for (const name of Object.keys(packages)) {
			const mine = types.filter((t) => t.startsWith(`${name}.`));
			if (mine.length === 0) {
				const logFile = path.join(settings.runDir, 'n8n.log');
				const hints = fs
					.readFileSync(logFile, 'utf8')
					.split('\n')
					.filter((line) => line.includes(name) || /error/i.test(line))
					.slice(-20)
					.join('\n');
				throw new Error(`n8n loaded no node type of ${name}. Relevant lines of ${logFile}:\n${hints}`);
			}
			log(`${name}: ${mine.join(', ')}`);
		}

		fs.writeFileSync(stateFile(settings), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
		log(`ready in ${seconds()}: n8n ${state.n8n.url}${sandbox ? `, sandbox ${sandbox.url}` : ''}`);
	} catch (error) {
		log(`setup failed after ${seconds()}; stopping what was started`);
		await stopEverything();
		throw error;
	}
}

export { stopEverything };
