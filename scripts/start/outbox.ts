/**
 * The sandbox's outbox (GET /_sandbox/outbox: every mail "sent", oldest
 * first) and a watcher that reports new mail while `npm start` runs, with
 * the review link of approval requests.
 */
import { SandboxClient, type OutboxMessage } from '../lib/sandboxAdmin';

export type { OutboxMessage };

export async function readOutbox(sandboxUrl: string): Promise<OutboxMessage[]> {
	// The admin endpoints need no key.
	return await new SandboxClient({ url: sandboxUrl, apiKey: '' }).outbox();
}

/** The review link in an approval request (the Wait for Approval node's notification). */
export function reviewLink(message: OutboxMessage): string | undefined {
	return message.text?.match(/https?:\/\/\S+\/webhook-waiting\/\S+/)?.[0];
}

export function describeMail(message: OutboxMessage): string {
	const head = `"${message.subject ?? '(no subject)'}" from ${message.inbox_id} to ${(message.to ?? []).join(', ')}`;
	const link = reviewLink(message);
	return link ? `approval request ${head}\n  review link: ${link}` : `sent ${head} (via ${message.via})`;
}

/** Poll the outbox every second; `report` gets each mail sent from now on. Poll errors are left to the process monitor. */
export async function watchOutbox(sandboxUrl: string, report: (message: OutboxMessage) => void): Promise<{ stop(): void }> {
	let seen = (await readOutbox(sandboxUrl)).length;
	let busy = false;
	const timer = setInterval(async () => {
		if (busy) return;
		busy = true;
		try {
			const messages = await readOutbox(sandboxUrl);
			messages.slice(seen).forEach(report);
			seen = messages.length;
		} catch {
			// the sandbox is stopping or gone: main's monitor reports that
		} finally {
			busy = false;
		}
	}, 1_000);
	return { stop: () => clearInterval(timer) };
}
