/**
 * Process environment for running n8n-core headless inside jest.
 *
 * Must be imported before anything touches `@n8n/config` / `@n8n/di`
 * (config classes read `process.env` when the DI container first builds them),
 * which is why `index.ts` imports it first.
 *
 * - N8N_USER_FOLDER: a fresh temp dir, so InstanceSettings writes its settings
 *   file (encryption key) and binary data there instead of ~/.n8n. Removed by
 *   shutdownHarness() (jest does not run 'exit' handlers of test files).
 * - N8N_ENCRYPTION_KEY: fixed, so InstanceSettings never generates/prints one.
 * - N8N_LOG_LEVEL=silent: n8n's winston logger is created silent (no console noise).
 * - telemetry/diagnostics off (nothing in n8n-core sends any, set for safety).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));

process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-harness-fixed-encryption-key-0001';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.N8N_TEMPLATES_ENABLED = 'false';

process.once('exit', () => {
	try {
		rmSync(userFolder, { recursive: true, force: true });
	} catch {
		// best effort
	}
});

export const HARNESS_USER_FOLDER = userFolder;
