/**
 * Threads (AGENTMAIL_API.md §3.4, DEF `threads.yml`) are not stored on their
 * own: a thread is the messages of one inbox that share a `thread_id`
 * (sending.ts and delivery.ts assign it). Its labels are the union of its
 * messages' labels, so a label change is a change to every message.
 */
import { uniqueAddresses } from '../addresses';
import { nowIso } from '../clock';
import { notFound, unprocessable } from '../errors';
import type { MessageRecord } from '../model';
import type { Store } from '../store';
import { applyLabelChanges } from './labels';

/** AgentMail refuses label updates on threads this long (422). */
export const MAX_UPDATABLE_MESSAGES = 100;

export interface ThreadRecord {
	inbox_id: string;
	thread_id: string;
	/** Oldest first (ties in creation order; the sandbox clock never repeats an instant). */
	messages: MessageRecord[];
}

const byTimestamp = (a: MessageRecord, b: MessageRecord): number =>
	a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;

/** Every thread of one inbox, or of the organization when `inboxId` is undefined. */
export function threadsOf(store: Store, inboxId?: string): ThreadRecord[] {
	const messages = inboxId === undefined ? [...store.messages.values()] : store.messagesOf(inboxId);
	const threads = new Map<string, ThreadRecord>();
	for (const message of messages) {
		const k = `${message.inbox_id}\u0000${message.thread_id}`;
		let thread = threads.get(k);
		if (!thread) {
			thread = { inbox_id: message.inbox_id, thread_id: message.thread_id, messages: [] };
			threads.set(k, thread);
		}
		thread.messages.push(message);
	}
	for (const thread of threads.values()) thread.messages.sort(byTimestamp);
	return [...threads.values()];
}

/** The thread with this id (in this inbox when given), or 404 "Thread not found". */
export function findThread(store: Store, threadId: string, inboxId?: string): ThreadRecord {
	const thread = threadsOf(store, inboxId).find((candidate) => candidate.thread_id === threadId);
	if (!thread) {
		throw notFound(
			'Thread',
			inboxId === undefined
				? 'Check the thread_id; GET /v0/threads lists them.'
				: `Check the thread_id; GET /v0/inboxes/${inboxId}/threads lists this inbox's threads.`,
		);
	}
	return thread;
}

/** Labels of a thread: every label of its messages, in order of first appearance. */
export const threadLabels = (thread: ThreadRecord): string[] => [
	...new Set(thread.messages.flatMap((message) => message.labels)),
];

export const lastMessage = (thread: ThreadRecord): MessageRecord => thread.messages[thread.messages.length - 1];

export const threadSenders = (thread: ThreadRecord): string[] =>
	uniqueAddresses(thread.messages.map((message) => message.from));

export const threadRecipients = (thread: ThreadRecord): string[] =>
	uniqueAddresses(thread.messages.flatMap((message) => [...message.to, ...(message.cc ?? []), ...(message.bcc ?? [])]));

/**
 * Adds and removes labels on every message of the thread (a label in both
 * ends up removed). The caller has checked they are not system labels.
 */
export function updateThreadLabels(store: Store, thread: ThreadRecord, add: string[], remove: string[]): string[] {
	if (thread.messages.length >= MAX_UPDATABLE_MESSAGES) {
		throw unprocessable(
			`Thread ${thread.thread_id} has ${thread.messages.length} messages; labels can be updated on threads with fewer than ${MAX_UPDATABLE_MESSAGES}`,
			'Update the labels of its messages with PATCH /v0/inboxes/{inbox_id}/messages/{message_id} instead.',
		);
	}
	const now = nowIso();
	thread.messages = thread.messages.map((message) => {
		const next = { ...message, labels: applyLabelChanges(message.labels, add, remove), updated_at: now };
		store.putMessage(next);
		return next;
	});
	return threadLabels(thread);
}

/** Deletes the thread and all of its messages, permanently. */
export function deleteThread(store: Store, thread: ThreadRecord): void {
	for (const message of thread.messages) store.deleteMessage(message);
}
