/**
 * Decisions on one waiting execution are taken one at a time in this n8n
 * process: a double click, or two approvers at once, must not both act on
 * the draft. The second request runs after the first has finished and then
 * finds the draft already decided. (n8n in queue mode with several webhook
 * processes would need a shared lock; AgentMail's Idempotency-Key still
 * keeps the send single there.)
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
