/**
 * Programmatic API of the local AgentMail sandbox (see README.md).
 *
 *   const sandbox = await startSandbox({ port: 0 });
 *   const client = new AgentMailClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
 *   ...
 *   await sandbox.close();
 */
import type { AddressInfo } from 'node:net';
import type { ApiKeySpec } from './apiKeys';
import { App } from './app';
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_SEED_INBOX } from './config';
import { createSandboxServer } from './http';
import { createAdminRouter, createApiRouter } from './routes';

export type { ApiKeySpec } from './apiKeys';
export { PERMISSIONS, type Permission } from './permissions';
export { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SEED_DISPLAY_NAME, DEFAULT_SEED_INBOX } from './config';

export interface SandboxOptions {
	/** 0 picks a free port. Default 0 (the CLI defaults to 8026). */
	port?: number;
	/** Default 127.0.0.1. The /_sandbox endpoints answer loopback clients only. */
	host?: string;
	/** Persist the state to this JSON file and reload it on start. Default: in memory only. */
	dataFile?: string;
	/** Default `am_sandbox_local_key`. */
	apiKey?: string;
	/** More keys for the same organization, with full access. */
	extraApiKeys?: string[];
	/** Keys with a permission set: each has only the permissions listed (sandbox/permissions.ts). */
	restrictedKeys?: Array<Required<Pick<ApiKeySpec, 'apiKey' | 'permissions'>> & Pick<ApiKeySpec, 'name'>>;
	/** Default `agent@agentmail.to` (display name "Sandbox Agent"). */
	seedInbox?: string;
	/** How often scheduled drafts are checked. Default 250 ms. */
	schedulerIntervalMs?: number;
	/** Delay before the data file is written after a change. Default 100 ms. */
	persistDebounceMs?: number;
	/** Reports unexpected errors. Default console.error. */
	logError?: (message: string, error: unknown) => void;
	/** Delays between webhook delivery attempts. Default 1 s, 5 s, 25 s (4 attempts). */
	webhookRetryDelaysMs?: number[];
}

export interface RunningSandbox {
	/** `http://host:port`: pass it as the SDK's `baseUrl` (paths start with /v0). */
	url: string;
	port: number;
	apiKey: string;
	/** The seeded inbox id (its email address). */
	inboxId: string;
	/** `ws://host:port`: the WebSocket API root (connect to `${wsUrl}/v0`). */
	wsUrl: string;
	/** Resolves when every pending webhook delivery attempt (retries included) is done. */
	webhooksIdle(timeoutMs?: number): Promise<void>;
	/** Stops the server and scheduler, writing the data file if there is one. */
	close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
	const host = opts.host ?? DEFAULT_HOST;
	const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
	const app = new App({
		apiKeys: [apiKey, ...(opts.extraApiKeys ?? [])].map((key): ApiKeySpec => ({ apiKey: key })).concat(opts.restrictedKeys ?? []),
		seedInbox: (opts.seedInbox ?? DEFAULT_SEED_INBOX).toLowerCase(),
		dataFile: opts.dataFile,
		schedulerIntervalMs: opts.schedulerIntervalMs,
		persistDebounceMs: opts.persistDebounceMs,
		logError: opts.logError,
		webhookRetryDelaysMs: opts.webhookRetryDelaysMs,
	});
	const server = createSandboxServer(app, createApiRouter(), createAdminRouter(), `${host}:${opts.port ?? 0}`);
	server.on('upgrade', (req, socket, head) => app.websockets.handleUpgrade(req, socket, head as Buffer));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	app.start();
	let closing: Promise<void> | undefined;
	const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
	return {
		url: `http://${hostPort}`,
		wsUrl: `ws://${hostPort}`,
		webhooksIdle: (timeoutMs) => app.webhooks.idle(timeoutMs),
		port,
		apiKey,
		inboxId: app.seedInbox().inbox_id,
		close() {
			closing ??= new Promise<void>((resolve, reject) => {
				app.stop();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
