/**
 * Which items of one node execution may have AgentMail requests in flight.
 *
 * The AgentMail node's router starts a batch of items at once: each reads its
 * parameters (evaluating their expressions) and checks its input, then asks
 * for a slot with its first request. While a batch is being started no new
 * slot is given out, so a bad input anywhere in the batch is known before
 * any of its requests goes out; then at most `capacity` items at a time get a
 * slot, lowest item index first, and keep it until the router says the item
 * is done (so an item with several requests counts once, and the ones it has
 * started always finish). After `close()` (On Error = Stop) no item that is
 * still waiting makes a request: its request fails with ItemCancelled (which
 * an operation may wrap), and `wasCancelled(itemIndex)` tells the router so.
 *
 * Reading a whole batch's parameters back to back, instead of each item's
 * between other items' responses, is what brought the node's CPU per item
 * below n8n's HTTP Request node (which reads every item before it sends):
 * see bench/README.md.
 */
export class ItemCancelled extends Error {
	constructor() {
		super('not started: another item failed and On Error is Stop');
	}
}

interface Waiter {
	itemIndex: number;
	resolve(): void;
	reject(error: unknown): void;
}

export class ItemSlots {
	private readonly running = new Set<number>();
	private readonly cancelled = new Set<number>();
	/** Sorted by item index. */
	private readonly waiting: Waiter[] = [];
	private idleWaiters: Array<() => void> = [];
	private holding = false;
	private closed = false;

	constructor(private readonly capacity: number) {}

	/**
	 * Called before every request of item `itemIndex`: resolves once the item
	 * holds a slot (undefined when it already does, or when the request is not
	 * an item's, so the caller need not await).
	 */
	enter(itemIndex: number | undefined): Promise<void> | undefined {
		if (itemIndex === undefined || this.running.has(itemIndex)) return undefined;
		if (this.closed) {
			this.cancelled.add(itemIndex);
			return Promise.reject(new ItemCancelled());
		}
		if (!this.holding && this.running.size < this.capacity) {
			this.running.add(itemIndex);
			return undefined;
		}
		return new Promise<void>((resolve, reject) => {
			const waiters = this.waiting;
			let low = 0;
			let high = waiters.length;
			while (low < high) {
				const middle = (low + high) >> 1;
				if (waiters[middle].itemIndex < itemIndex) low = middle + 1;
				else high = middle;
			}
			waiters.splice(low, 0, { itemIndex, resolve, reject });
		});
	}

	/** The item is done (finished or failed): its slot goes to the next waiting item. */
	leave(itemIndex: number): void {
		if (this.running.delete(itemIndex)) this.grant();
	}

	/** No slot is given out until open(): a batch of items is being started. */
	hold(): void {
		this.holding = true;
	}

	open(): void {
		this.holding = false;
		this.grant();
	}

	/** No waiting or later item gets a slot; the running ones go on. */
	close(): void {
		this.closed = true;
		for (const waiter of this.waiting.splice(0)) {
			this.cancelled.add(waiter.itemIndex);
			waiter.reject(new ItemCancelled());
		}
		this.grant();
	}

	/** The item made no request because close() came first. */
	wasCancelled(itemIndex: number): boolean {
		return this.cancelled.has(itemIndex);
	}

	/** Resolves when no item is waiting for a slot. */
	idle(): Promise<void> {
		if (this.waiting.length === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private grant(): void {
		while (!this.holding && this.running.size < this.capacity && this.waiting.length) {
			const next = this.waiting.shift() as Waiter;
			this.running.add(next.itemIndex);
			next.resolve();
		}
		if (this.waiting.length === 0 && this.idleWaiters.length) {
			const waiters = this.idleWaiters;
			this.idleWaiters = [];
			for (const resolve of waiters) resolve();
		}
	}
}

/** Keyed by n8n's execute context, like the session: one set of slots per node execution. */
const slotsByContext = new WeakMap<object, ItemSlots>();

export function useItemSlots(ctx: object, slots: ItemSlots): void {
	slotsByContext.set(ctx, slots);
}

/** Before an item's first request (or its first large read): waits for its slot, if the node uses slots. */
export async function waitForItemSlot(ctx: object, itemIndex: number | undefined): Promise<void> {
	const slot = slotsByContext.get(ctx)?.enter(itemIndex);
	if (slot) await slot;
}
