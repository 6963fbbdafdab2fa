/** The sandbox's parts wired together: state, persistence, scheduler, faults, request log. */
import { ApiKeys, type ApiKeySpec } from './apiKeys';
import { DEFAULT_SEED_DISPLAY_NAME } from './config';
import { WebhookDispatcher } from './events/dispatcher';
import { WebSocketHub } from './events/websocket';
import { FaultInjector } from './faults';
import { RateLimits } from './rateLimits';
import { newOrganizationId, newPodId } from './ids';
import { createInbox } from './mail/inboxes';
import type { InboxRecord } from './model';
import { loadSnapshot, Persister } from './persist';
import { RequestLog } from './requestLog';
import { Scheduler } from './scheduler';
import { Store } from './store';

export interface AppOptions {
	/** The configured keys; a key with `permissions` has only those (permissions.ts). */
	apiKeys: ApiKeySpec[];
	/** Email of the inbox every fresh state starts with. */
	seedInbox: string;
	seedDisplayName?: string;
	dataFile?: string;
	schedulerIntervalMs?: number;
	persistDebounceMs?: number;
	/** Where unexpected errors are reported (default: console.error). */
	logError?: (message: string, error: unknown) => void;
	/** Delays between webhook delivery attempts (their count bounds the retries). */
	webhookRetryDelaysMs?: number[];
}

export class App {
	readonly store = new Store(newOrganizationId(), newPodId());
	readonly faults = new FaultInjector();
	readonly rateLimits = new RateLimits();
	readonly requests = new RequestLog();
	readonly scheduler: Scheduler;
	readonly apiKeys: ApiKeys;
	readonly webhooks: WebhookDispatcher;
	readonly websockets: WebSocketHub;
	private readonly persister?: Persister;

	constructor(readonly options: AppOptions) {
		this.apiKeys = new ApiKeys(options.apiKeys);
		this.webhooks = new WebhookDispatcher(this.store, options.webhookRetryDelaysMs);
		this.websockets = new WebSocketHub(this.store, this.apiKeys);
		this.scheduler = new Scheduler(this.store, options.schedulerIntervalMs, (draftId, error) =>
			this.logError(`[sandbox] scheduled send of ${draftId} failed:`, error instanceof Error ? error.message : error),
		);
		const snapshot = options.dataFile ? loadSnapshot(options.dataFile) : undefined;
		if (snapshot) this.store.load(snapshot);
		this.seedInbox();
		if (options.dataFile) {
			const persister = new Persister(options.dataFile, () => this.store.snapshot(), options.persistDebounceMs);
			this.store.onChange(() => persister.schedule());
			this.persister = persister;
			this.store.changed();
		}
	}

	logError(message: string, error: unknown): void {
		(this.options.logError ?? ((m, e) => console.error(m, e)))(message, error);
	}

	/** The seeded inbox, created when missing. */
	seedInbox(): InboxRecord {
		const existing = this.store.getInbox(this.options.seedInbox);
		if (existing) return existing;
		const at = this.options.seedInbox.lastIndexOf('@');
		return createInbox(this.store, {
			username: this.options.seedInbox.slice(0, at),
			domain: this.options.seedInbox.slice(at + 1),
			display_name: this.options.seedDisplayName ?? DEFAULT_SEED_DISPLAY_NAME,
		}).inbox;
	}

	/** Back to the seeded state: no data, no faults, no rate limit, empty request log, only the configured API keys. */
	reset(): InboxRecord {
		this.store.clear();
		this.apiKeys.reset();
		this.faults.clear();
		this.rateLimits.set(null);
		this.requests.clear();
		this.webhooks.clear();
		return this.seedInbox();
	}

	start(): void {
		this.scheduler.start();
	}

	/** Stops the scheduler and writes pending state. */
	stop(): void {
		this.scheduler.stop();
		this.webhooks.stop();
		this.websockets.close();
		this.persister?.flush();
	}
}
