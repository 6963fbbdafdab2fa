/**
 * Where `npm start` keeps things and which ports it uses. Environment:
 *   N8N_PORT            n8n HTTP port             (default 5678; broker: +1)
 *   SANDBOX_PORT        AgentMail sandbox port    (default 8026)
 *   SANDBOX_API_KEY     sandbox API key           (default am_sandbox_local_key)
 *   N8N_START_RUN_DIR   run dir                   (default <repo>/.n8n-run/start)
 * The e2e suite uses 5688 and .n8n-run/e2e, so both can run side by side.
 */
import * as path from 'path';

import { DEFAULT_API_KEY, DEFAULT_PORT as DEFAULT_SANDBOX_PORT } from '../../sandbox/config';
import { REPO_DIR } from '../lib/repo';

export { N8N_SCRIPT, PACKAGE_NAME, REPO_DIR } from '../lib/repo';

/** sandbox/cli.ts (`npm run sandbox`), compiled by tsconfig.scripts.json together with these scripts: not the .build/sandbox that the e2e suite recompiles while it starts. */
export const SANDBOX_CLI = path.join(REPO_DIR, '.build', 'scripts', 'sandbox', 'cli.js');
export const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');

export interface StartSettings {
	n8nPort: number;
	/** n8n's task-runner broker: n8nPort + 1. */
	brokerPort: number;
	sandboxPort: number;
	sandboxApiKey: string;
	runDir: string;
	/** The sandbox's state (drafts, messages, outbox), kept across restarts. */
	sandboxDataFile: string;
	/** What the running instance looks like (URLs, ids, owner), for tools such as smoke.ts. */
	stateFile: string;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 65534) throw new Error(`${name} must be a port number, got "${raw}"`);
	return value;
}

export function startSettings(env: NodeJS.ProcessEnv = process.env): StartSettings {
	const n8nPort = port(env, 'N8N_PORT', 5678);
	const runDir = path.resolve(REPO_DIR, env.N8N_START_RUN_DIR || path.join('.n8n-run', 'start'));
	return {
		n8nPort,
		brokerPort: n8nPort + 1,
		sandboxPort: port(env, 'SANDBOX_PORT', DEFAULT_SANDBOX_PORT),
		sandboxApiKey: env.SANDBOX_API_KEY || DEFAULT_API_KEY,
		runDir,
		sandboxDataFile: path.join(runDir, 'sandbox.json'),
		stateFile: path.join(runDir, 'start-state.json'),
	};
}

/** Environment for scripts/n8n.sh so that it acts on this instance (never the e2e one, whatever the caller exported). */
export function n8nScriptEnv(settings: StartSettings): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_PORT: String(settings.n8nPort),
		N8N_E2E_BROKER_PORT: String(settings.brokerPort),
		N8N_E2E_RUN_DIR: settings.runDir,
		// The demo's owner account (the e2e suite keeps n8n.sh's e2e owner).
		N8N_OWNER_EMAIL: process.env.N8N_OWNER_EMAIL || 'demo@example.com',
		N8N_OWNER_PASSWORD: process.env.N8N_OWNER_PASSWORD || 'Demo-Passw0rd',
		N8N_OWNER_FIRST_NAME: process.env.N8N_OWNER_FIRST_NAME || 'Demo',
	};
}
