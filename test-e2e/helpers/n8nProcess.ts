/**
 * Restarting the e2e n8n (same user folder, database and API key) in the
 * middle of a test: what happens to active workflows when n8n is restarted.
 */
import { run } from '../../scripts/lib/run';
import { N8N_SCRIPT, n8nScriptEnv } from './env';

/** `scripts/n8n.sh stop` then `start` on the e2e instance; resolves once n8n answers again. */
export async function restartN8n(): Promise<void> {
	await run('bash', [N8N_SCRIPT, 'stop'], { label: 'n8n-stop', env: n8nScriptEnv() });
	await run('bash', [N8N_SCRIPT, 'start'], { label: 'n8n-start', env: n8nScriptEnv() });
}
