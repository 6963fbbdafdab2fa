/** What a route handler receives and returns. */
import type { IncomingHttpHeaders } from 'node:http';
import type { App } from './app';
import type { Query } from './query';

export interface RequestContext {
	app: App;
	method: string;
	/** Decoded path, e.g. `/v0/inboxes/agent@agentmail.to/messages/<id@agentmail.to>`. */
	path: string;
	/** Decoded path parameters. */
	params: Record<string, string>;
	query: Query;
	/** Parsed JSON body (undefined when empty). */
	body: unknown;
	headers: IncomingHttpHeaders;
	/** `http://host:port` as the client addressed the sandbox. */
	baseUrl: string;
	idempotencyKey?: string;
	/**
	 * Waits out an injected latency fault. Handlers that have an in-flight
	 * state (a draft in `sending`) call it at that point; otherwise the
	 * server waits before answering.
	 */
	pause(): Promise<void>;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent = (): Reply => ({ status: 204 });
