/**
 * Where things are and how the e2e suite is configured. Everything here is
 * derived from environment variables with defaults, so that globalSetup, the
 * tests (in jest workers) and globalTeardown agree without passing objects.
 */
import * as fs from 'fs';
import * as path from 'path';

import { REPO_DIR } from '../../scripts/lib/repo';

export { CHROMIUM_SCRIPT, N8N_SCRIPT, QUEUE_SCRIPT, REPO_DIR } from '../../scripts/lib/repo';
export const FIXTURE_PACKAGE_DIR = path.join(REPO_DIR, 'test-e2e', 'fixtures', 'n8n-nodes-e2e-fixture');
/** The scripted chat model for n8n's AI Agent (test-only package, ai-agent.e2e.test.ts). */
export const SCRIPTED_MODEL_PACKAGE_DIR = path.join(REPO_DIR, 'test-e2e', 'fixtures', 'n8n-nodes-e2e-scripted-model');
/** Screenshots and other files worth keeping from a run (gitignored). */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ?? path.join(REPO_DIR, 'test-artifacts');

function portFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
	return value;
}

export interface E2eSettings {
	/** n8n HTTP port (N8N_E2E_PORT, default 5688: not the 5678 of a developer's own n8n). */
	n8nPort: number;
	/** Task-runner broker port (N8N_E2E_BROKER_PORT, default n8nPort + 1). */
	brokerPort: number;
	/** Run dir of the e2e n8n (N8N_E2E_RUN_DIR, default <repo>/.n8n-run/e2e). */
	runDir: string;
	/** AgentMail sandbox port (E2E_SANDBOX_PORT, default 0: any free port). */
	sandboxPort: number;
	/** Leave n8n and the sandbox data behind after the run (N8N_E2E_KEEP_RUNNING=1). */
	keepRunning: boolean;
}

export function e2eSettings(): E2eSettings {
	const n8nPort = portFromEnv('N8N_E2E_PORT', 5688);
	return {
		n8nPort,
		brokerPort: portFromEnv('N8N_E2E_BROKER_PORT', n8nPort + 1),
		runDir: path.resolve(process.env.N8N_E2E_RUN_DIR ?? path.join(REPO_DIR, '.n8n-run', 'e2e')),
		sandboxPort: portFromEnv('E2E_SANDBOX_PORT', 0),
		keepRunning: process.env.N8N_E2E_KEEP_RUNNING === '1',
	};
}

/** Environment for scripts/n8n.sh so that it acts on the e2e instance. */
export function n8nScriptEnv(settings: E2eSettings = e2eSettings()): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_PORT: String(settings.n8nPort),
		N8N_E2E_BROKER_PORT: String(settings.brokerPort),
		N8N_E2E_RUN_DIR: settings.runDir,
	};
}

/** What globalSetup started, written to <runDir>/e2e-state.json for the tests. */
export interface E2eState {
	n8n: {
		url: string;
		runDir: string;
		apiKey: string;
		owner: { email: string; password: string };
		pid: number;
	};
	/** Null when sandbox/index.ts does not exist (yet). */
	sandbox: { url: string; port: number; apiKey: string; inboxId: string } | null;
	/** Community packages installed into n8n, name -> version. */
	packages: Record<string, string>;
	/**
	 * Queue mode only (test-e2e/queue, `npm run test:e2e:queue`): n8n.url is
	 * the main; these are the webhook processes and the worker's health server.
	 */
	queue?: { webhookA: string; webhookB: string; worker: string; credential: { id: string; name: string } };
}

export function stateFile(settings: E2eSettings = e2eSettings()): string {
	return path.join(settings.runDir, 'e2e-state.json');
}

let cachedState: E2eState | undefined;

/** The state globalSetup wrote; throws if the suite was not set up. */
export function e2eState(): E2eState {
	if (cachedState) return cachedState;
	const file = stateFile();
	if (!fs.existsSync(file)) {
		throw new Error(`${file} is missing: run the e2e tests with jest -c jest.e2e.config.js (its globalSetup starts n8n)`);
	}
	cachedState = JSON.parse(fs.readFileSync(file, 'utf8')) as E2eState;
	return cachedState;
}

/** A short unique suffix for webhook paths and names, so reruns never clash. */
export function uniqueSuffix(): string {
	return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The last lines of the e2e n8n's log, for failure messages. */
export function n8nLogTail(lines = 40): string {
	const file = path.join(e2eSettings().runDir, 'n8n.log');
	if (!fs.existsSync(file)) return `(no ${file})`;
	return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
