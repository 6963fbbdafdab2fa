import {
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type ITriggerFunctions,
} from 'n8n-workflow';

import { baseUrlFromCredentials } from '../../shared/transport';
import { isEvent, type AgentMailEvent } from './events';
import type { TriggerSettings } from './settings';

const REGION_WS_URLS: Record<string, string> = {
	us: 'wss://ws.agentmail.to/v0',
	eu: 'wss://ws.agentmail.eu/v0',
};

/** Reconnect delays: 1 s, 2 s, 4 s ... capped at 30 s; back to 1 s once subscribed again. */
export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

export const reconnectDelay = (failures: number): number =>
	Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, failures));

/**
 * AgentMail's WebSocket endpoint for the credential: the region's `ws` host,
 * or for a Custom URL the same host with `ws:` / `wss:` (the sandbox serves
 * both on one port).
 */
export function webSocketUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? 'us');
	if (region !== 'custom') return REGION_WS_URLS[region] ?? REGION_WS_URLS.us;
	return `${baseUrlFromCredentials(credentials).replace(/^http/i, 'ws')}/v0`;
}

export interface EventStream {
	close(): Promise<void>;
}

/**
 * Connects with Node's built-in WebSocket (no runtime dependency), subscribes
 * (AGENTMAIL_API.md §6.5), passes each event to `onEvent`, reports AgentMail's
 * `error` messages through `emitError`, and reconnects with capped exponential
 * backoff (resubscribing) until closed.
 */
export async function openEventStream(
	ctx: ITriggerFunctions,
	settings: TriggerSettings,
	onEvent: (event: AgentMailEvent) => void,
): Promise<EventStream> {
	const credentials = await ctx.getCredentials('agentMailApi');
	const url = webSocketUrl(credentials);
	const subscribe: IDataObject = { type: 'subscribe', event_types: settings.events };
	if (settings.inboxIds.length) subscribe.inbox_ids = settings.inboxIds;
	if (settings.podIds.length) subscribe.pod_ids = settings.podIds;
	let socket: WebSocket | undefined;
	let closed = false;
	let failures = 0;

	const connect = () => {
		if (closed) return;
		const ws = new WebSocket(url, {
			headers: { Authorization: `Bearer ${String(credentials.apiKey ?? '')}` },
		} as unknown as string[]);
		socket = ws;
		ws.addEventListener('open', () => ws.send(JSON.stringify(subscribe)));
		ws.addEventListener('message', (message: MessageEvent) => {
			let data: unknown;
			try {
				data = JSON.parse(typeof message.data === 'string' ? message.data : String(message.data));
			} catch {
				ctx.logger.warn('AgentMail Trigger: ignored a WebSocket message that is not JSON');
				return;
			}
			const type = (data as IDataObject | null)?.type;
			if (type === 'subscribed') {
				failures = 0;
			} else if (type === 'error') {
				const { name, message: text } = data as IDataObject;
				ctx.emitError(
					new NodeOperationError(ctx.getNode(), `AgentMail refused the subscription: ${String(text ?? name)}`, {
						description: `AgentMail's WebSocket answered ${String(name ?? 'error')}. Check the events and inboxes of the trigger, and the API key's permissions (opt-in events need them).`,
					}),
				);
			} else if (isEvent(data)) {
				onEvent(data);
			}
		});
		ws.addEventListener('close', () => {
			if (socket === ws) socket = undefined;
			if (closed) return;
			const delay = reconnectDelay(failures++);
			ctx.logger.warn(`AgentMail Trigger: WebSocket closed, reconnecting in ${delay} ms`);
			void sleep(delay).then(connect);
		});
		// An error is always followed by `close`, where the reconnect happens.
		ws.addEventListener('error', () => undefined);
	};
	connect();

	return {
		async close() {
			closed = true;
			socket?.close(1000, 'workflow deactivated');
			socket = undefined;
		},
	};
}
