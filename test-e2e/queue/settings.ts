/**
 * Ports and run dir of the queue-mode suite: the same environment variables
 * (and defaults) as scripts/queue.sh, so that the script and the tests agree.
 */
import * as path from 'path';

import { REPO_DIR } from '../../scripts/lib/repo';

function portFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
	return value;
}

export interface QueueSettings {
	/** N8N_QUEUE_RUN_DIR, default <repo>/.n8n-run/queue. */
	runDir: string;
	mainPort: number;
	webhookAPort: number;
	webhookBPort: number;
	/** The worker's health server (QUEUE_HEALTH_CHECK_PORT). */
	workerPort: number;
	pgPort: number;
	redisPort: number;
	/** E2E_SANDBOX_PORT, default 0 (a free port). */
	sandboxPort: number;
	/** N8N_E2E_KEEP_RUNNING=1 leaves everything running after the suite. */
	keepRunning: boolean;
}

export const DEFAULT_QUEUE_RUN_DIR = path.join(REPO_DIR, '.n8n-run', 'queue');

export function queueSettings(): QueueSettings {
	return {
		runDir: path.resolve(process.env.N8N_QUEUE_RUN_DIR || DEFAULT_QUEUE_RUN_DIR),
		mainPort: portFromEnv('N8N_QUEUE_MAIN_PORT', 5720),
		webhookAPort: portFromEnv('N8N_QUEUE_WEBHOOK_A_PORT', 5722),
		webhookBPort: portFromEnv('N8N_QUEUE_WEBHOOK_B_PORT', 5724),
		workerPort: portFromEnv('N8N_QUEUE_WORKER_PORT', 5726),
		pgPort: portFromEnv('N8N_QUEUE_PG_PORT', 5433),
		redisPort: portFromEnv('N8N_QUEUE_REDIS_PORT', 6380),
		sandboxPort: portFromEnv('E2E_SANDBOX_PORT', 0),
		keepRunning: process.env.N8N_E2E_KEEP_RUNNING === '1',
	};
}

/** Environment for scripts/queue.sh: the caller's, with the run dir made explicit. */
export function queueScriptEnv(settings: QueueSettings = queueSettings()): NodeJS.ProcessEnv {
	return { ...process.env, N8N_QUEUE_RUN_DIR: settings.runDir };
}
