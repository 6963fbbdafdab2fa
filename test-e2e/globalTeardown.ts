/**
 * Jest globalTeardown of the e2e suite: stops the n8n and the AgentMail
 * sandbox that globalSetup started. N8N_E2E_KEEP_RUNNING=1 leaves n8n up for
 * poking at it (the sandbox lives in jest's process and ends with it).
 */
import { e2eSettings } from './helpers/env';
import { stopEverything } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
	const settings = e2eSettings();
	await stopEverything(settings.keepRunning);
	if (settings.keepRunning) {
		process.stderr.write(
			`[e2e-teardown] N8N_E2E_KEEP_RUNNING=1: n8n left running on http://127.0.0.1:${settings.n8nPort}; stop it with\n` +
				`  N8N_PORT=${settings.n8nPort} N8N_E2E_RUN_DIR=${settings.runDir} bash scripts/n8n.sh stop\n`,
		);
	}
}
