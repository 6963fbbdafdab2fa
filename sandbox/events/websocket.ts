/**
 * AgentMail's WebSocket API (AGENTMAIL_API.md §6.5, websockets.yml) on the
 * sandbox's own port, path `/v0`: the API key as Bearer header or `?api_key=`;
 * the client sends `{type: "subscribe", event_types?, inbox_ids?, pod_ids?}`,
 * the server answers `{type: "subscribed", ...}` and then pushes the same
 * event objects as the webhooks; problems arrive as `{type: "error", name, message}`.
 * `ws` is a devDependency used by the sandbox only.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiKeys } from '../apiKeys';
import { eventTypePermissions, type Permission } from '../permissions';
import type { Store } from '../store';
import { EVENT_TYPES, type EmittedEvent, type EventType } from './model';
import { scopeMatches } from './webhooks';

interface Subscription {
	event_types?: EventType[];
	inbox_ids?: string[];
	pod_ids?: string[];
}

interface Client {
	socket: WebSocket;
	/** The key's permission set; undefined = full access. */
	permissions?: ReadonlySet<Permission>;
	subscription?: Subscription;
}

export class WebSocketHub {
	private readonly server = new WebSocketServer({ noServer: true });
	private readonly clients = new Set<Client>();
	/** Subscribe messages received, for tests (`GET /_sandbox/websockets`). */
	subscribes = 0;

	constructor(
		private readonly store: Store,
		private readonly apiKeys: ApiKeys,
	) {
		store.onEvent((emitted) => this.broadcast(emitted));
	}

	/** The http server's `upgrade` handler. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		const url = new URL(req.url ?? '/', 'http://sandbox');
		if (url.pathname.replace(/\/+$/, '') !== '/v0') {
			socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
			return;
		}
		const header = req.headers.authorization;
		const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : url.searchParams.get('api_key');
		if (!key || !this.apiKeys.has(key)) {
			socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
			return;
		}
		const permissions = this.apiKeys.get(key)?.permissions;
		this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws, permissions));
	}

	private accept(socket: WebSocket, permissions: ReadonlySet<Permission> | undefined): void {
		const client: Client = { socket, permissions };
		this.clients.add(client);
		socket.on('close', () => this.clients.delete(client));
		socket.on('error', () => this.clients.delete(client));
		socket.on('message', (data) => this.onMessage(client, data.toString()));
	}

	private error(client: Client, name: string, message: string): void {
		client.socket.send(JSON.stringify({ type: 'error', name, message }));
	}

	private onMessage(client: Client, text: string): void {
		let message: Record<string, unknown>;
		try {
			message = JSON.parse(text) as Record<string, unknown>;
		} catch {
			this.error(client, 'ValidationError', 'Message is not valid JSON');
			return;
		}
		if (message?.type !== 'subscribe') {
			this.error(client, 'ValidationError', `Unknown message type ${JSON.stringify(message?.type)}; send {"type":"subscribe"}`);
			return;
		}
		const subscription: Subscription = {};
		for (const field of ['event_types', 'inbox_ids', 'pod_ids'] as const) {
			const value = message[field];
			if (value === undefined || value === null) continue;
			if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
				this.error(client, 'ValidationError', `${field} must be a list of strings`);
				return;
			}
			if (field !== 'event_types' && value.length > 10) {
				this.error(client, 'ValidationError', `At most 10 ${field}`);
				return;
			}
			(subscription as Record<string, string[]>)[field] = field === 'inbox_ids' ? value.map((v: string) => v.toLowerCase()) : value;
		}
		const unknown = subscription.event_types?.find((type) => !(EVENT_TYPES as readonly string[]).includes(type));
		if (unknown) {
			this.error(client, 'ValidationError', `Unknown event type ${unknown}`);
			return;
		}
		// As for webhooks: the opt-in message.received.<label> types need the label's read permission.
		const lacking = eventTypePermissions(subscription.event_types).filter((p) => client.permissions && !client.permissions.has(p));
		if (lacking.length) {
			this.error(client, 'ForbiddenError', `Forbidden: this API key lacks the ${lacking.join(', ')} permission`);
			return;
		}
		const missing = subscription.inbox_ids?.find((id) => !this.store.getInbox(id));
		if (missing) {
			this.error(client, 'NotFoundError', `Inbox ${missing} not found`);
			return;
		}
		this.subscribes += 1;
		client.subscription = subscription;
		client.socket.send(JSON.stringify({ type: 'subscribed', ...subscription }));
	}

	/** Returns how many clients got the event. */
	private broadcast(emitted: EmittedEvent): number {
		const text = JSON.stringify(emitted.event);
		let sent = 0;
		for (const client of this.clients) {
			const sub = client.subscription;
			if (!sub) continue;
			// No event_types: the standard (non opt-in) types, as for webhooks created without a list.
			const types = sub.event_types ?? EVENT_TYPES.filter((type) => !/^message\.received\./.test(type));
			if (!types.includes(emitted.event.event_type)) continue;
			if (!scopeMatches({ kind: 'org' }, sub.inbox_ids, sub.pod_ids, emitted)) continue;
			client.socket.send(text);
			sent += 1;
		}
		return sent;
	}

	/** Sends a past event again to matching subscribers (at-least-once delivery, as after a reconnect). */
	replay(emitted: EmittedEvent): number {
		return this.broadcast(emitted);
	}

	/** Open connections and their subscriptions. */
	list(): Array<{ subscribed: boolean; subscription?: Subscription }> {
		return [...this.clients].map((client) => ({ subscribed: !!client.subscription, subscription: client.subscription }));
	}

	/** Drops every connection without a close handshake (to test reconnects); returns how many. */
	drop(): number {
		const count = this.clients.size;
		for (const client of this.clients) client.socket.terminate();
		this.clients.clear();
		return count;
	}

	close(): void {
		for (const client of this.clients) client.socket.terminate();
		this.clients.clear();
		this.server.close();
	}
}
