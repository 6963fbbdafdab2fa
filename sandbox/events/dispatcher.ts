/**
 * Webhook delivery like Svix: one delivery per (event, matching webhook), a
 * POST of the event JSON signed per attempt (signing.ts), the same `svix-id`
 * on every retry and redelivery, bounded retries with backoff on non-2xx or
 * network errors. Deliveries are kept in memory for /_sandbox/webhooks/deliveries.
 */
import { randomId } from '../ids';
import type { Store } from '../store';
import type { DeliveryRecord, EmittedEvent, WebhookRecord } from './model';
import { svixHeaders } from './signing';
import { checkDeliveryUrl, webhookMatches } from './webhooks';

/** Delays before the 2nd, 3rd, ... attempt: 4 attempts in all by default. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 25000];
export const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_DELIVERIES = 2000;

export class WebhookDispatcher {
	readonly deliveries = new Map<string, DeliveryRecord>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly inFlight = new Set<Promise<void>>();
	private stopped = false;

	constructor(
		private readonly store: Store,
		private readonly retryDelaysMs: number[] = DEFAULT_RETRY_DELAYS_MS,
	) {
		store.onEvent((emitted) => this.dispatch(emitted));
	}

	private dispatch(emitted: EmittedEvent): void {
		if (this.stopped) return;
		const payload = JSON.stringify(emitted.event);
		for (const webhook of this.store.webhooks.values()) {
			if (!webhookMatches(webhook, emitted)) continue;
			const delivery: DeliveryRecord = {
				delivery_id: `dlv_${randomId(20)}`,
				webhook_id: webhook.webhook_id,
				svix_id: `msg_${randomId(27)}`,
				event_id: emitted.event.event_id,
				event_type: emitted.event.event_type,
				url: webhook.url,
				payload,
				status: 'pending',
				attempts: [],
				created_at: new Date().toISOString(),
			};
			this.deliveries.set(delivery.delivery_id, delivery);
			this.prune();
			this.schedule(delivery, 0, 0);
		}
	}

	/** Sends a delivery again (same svix-id, fresh timestamp and signature), with its own retries. */
	redeliver(delivery: DeliveryRecord): void {
		delivery.status = 'pending';
		this.schedule(delivery, 0, 0);
	}

	private schedule(delivery: DeliveryRecord, delayMs: number, retry: number): void {
		delivery.next_attempt_at = new Date(Date.now() + delayMs).toISOString();
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			const run = this.attempt(delivery, retry).finally(() => this.inFlight.delete(run));
			this.inFlight.add(run);
		}, delayMs);
		timer.unref();
		this.timers.add(timer);
	}

	private async attempt(delivery: DeliveryRecord, retry: number): Promise<void> {
		if (this.stopped) return;
		const webhook: WebhookRecord | undefined = this.store.webhooks.get(delivery.webhook_id);
		if (!webhook) {
			delivery.status = 'failed';
			delete delivery.next_attempt_at;
			return;
		}
		const headers = svixHeaders([webhook.secret], delivery.svix_id, delivery.payload);
		const started = Date.now();
		const attempt: DeliveryRecord['attempts'][number] = {
			at: new Date(started).toISOString(),
			svix_timestamp: headers['svix-timestamp'],
			duration_ms: 0,
		};
		try {
			checkDeliveryUrl(webhook.url);
			const response = await fetch(webhook.url, {
				method: 'POST',
				headers: {
					...(webhook.headers ?? {}),
					...headers,
					'content-type': 'application/json',
					'user-agent': 'Svix-Webhooks/1.0 (AgentMail sandbox)',
				},
				body: delivery.payload,
				signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
				redirect: 'manual',
			});
			attempt.status = response.status;
			await response.arrayBuffer().catch(() => undefined);
		} catch (error) {
			attempt.error = (error as Error)?.message ?? String(error);
		}
		attempt.duration_ms = Date.now() - started;
		delivery.attempts.push(attempt);
		if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) {
			delivery.status = 'delivered';
			delete delivery.next_attempt_at;
			return;
		}
		if (retry < this.retryDelaysMs.length && !this.stopped) {
			this.schedule(delivery, this.retryDelaysMs[retry], retry + 1);
			return;
		}
		delivery.status = 'failed';
		delete delivery.next_attempt_at;
	}

	private prune(): void {
		if (this.deliveries.size <= MAX_DELIVERIES) return;
		for (const [id, delivery] of this.deliveries) {
			if (this.deliveries.size <= MAX_DELIVERIES) break;
			if (delivery.status !== 'pending') this.deliveries.delete(id);
		}
	}

	clear(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.deliveries.clear();
	}

	/** Waits for every scheduled attempt (retries included) to finish. For tests. */
	async idle(timeoutMs = 30_000): Promise<void> {
		const until = Date.now() + timeoutMs;
		while ((this.timers.size || this.inFlight.size) && Date.now() < until) {
			await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 20))]);
		}
	}

	stop(): void {
		this.stopped = true;
		this.clear();
	}
}

/** GET /_sandbox/webhooks/deliveries entry (the payload as parsed JSON). */
export function toDelivery(delivery: DeliveryRecord): Record<string, unknown> {
	return { ...delivery, payload: JSON.parse(delivery.payload) as unknown };
}
