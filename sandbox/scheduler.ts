/**
 * Scheduled sends: a timer loop that sends each draft whose `send_at` has
 * come (and deletes it). A send the lists reject leaves the draft `failed`.
 */
import type { Store } from './store';
import { sendDraft } from './mail/drafts';

export const DEFAULT_SCHEDULER_INTERVAL_MS = 250;

export class Scheduler {
	private timer: NodeJS.Timeout | undefined;
	private running = false;

	constructor(
		private readonly store: Store,
		private readonly intervalMs = DEFAULT_SCHEDULER_INTERVAL_MS,
		private readonly onError: (draftId: string, error: unknown) => void = () => undefined,
	) {}

	start(): void {
		if (this.timer) return;
		this.timer = setInterval(() => void this.tick(), this.intervalMs);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	/** Sends every due draft once; overlapping ticks are skipped. */
	async tick(now = Date.now()): Promise<number> {
		if (this.running) return 0;
		this.running = true;
		let sent = 0;
		try {
			const due = [...this.store.drafts.values()]
				.filter((draft) => draft.send_status === 'scheduled' && draft.send_at && Date.parse(draft.send_at) <= now)
				.sort((a, b) => Date.parse(a.send_at ?? '') - Date.parse(b.send_at ?? ''));
			for (const { draft_id } of due) {
				const draft = this.store.drafts.get(draft_id);
				if (draft?.send_status !== 'scheduled') continue;
				try {
					await sendDraft(this.store, draft, { addLabels: [], removeLabels: [], meta: { via: 'scheduled' } });
					sent += 1;
				} catch (error) {
					this.onError(draft_id, error);
				}
			}
		} finally {
			this.running = false;
		}
		return sent;
	}
}
