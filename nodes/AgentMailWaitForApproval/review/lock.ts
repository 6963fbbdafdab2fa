/**
 * A fast path, not the guarantee: decisions on one waiting execution are
 * taken one at a time in this n8n process, so a double click finds the draft
 * already decided without a second claim. Across processes (queue mode,
 * multi-main) the decision record in AgentMail decides (claim.ts).
 */
const tails = new Map<string, Promise<unknown>>();

export async function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	const run = previous.then(task, task);
	const tail = run.then(
		() => undefined,
		() => undefined,
	);
	tails.set(key, tail);
	try {
		return await run;
	} finally {
		if (tails.get(key) === tail) tails.delete(key);
	}
}
