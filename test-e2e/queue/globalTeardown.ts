/**
 * Jest globalTeardown of the queue-mode suite: stops the four n8n processes,
 * Redis and Postgres (by PID, scripts/queue.sh stop) and the sandbox.
 * N8N_E2E_KEEP_RUNNING=1 leaves n8n, Redis and Postgres up.
 */
import { stopQueueEverything } from './globalSetup';
import { queueSettings } from './settings';

export default async function globalTeardown(): Promise<void> {
	const settings = queueSettings();
	await stopQueueEverything(settings.keepRunning);
	if (settings.keepRunning) {
		process.stderr.write(
			`[queue-teardown] N8N_E2E_KEEP_RUNNING=1: left running; stop with N8N_QUEUE_RUN_DIR=${settings.runDir} bash scripts/queue.sh stop\n`,
		);
	}
}
