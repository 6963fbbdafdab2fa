import type { IDataObject } from 'n8n-workflow';

import { agentMailRequest, apiPath, failureOf, validId, type AgentMailContext } from '../../shared/transport';
import type { DraftView } from './page';

/** How the draft relates to the message it was made from. */
export type Relation = 'reply' | 'forward';

/** The thread a reply (or forward) draft belongs to, as the review page shows it. */
export type Conversation =
	| {
			status: 'loaded';
			relation: Relation;
			/** The message the draft replies to or forwards. */
			sourceId: string;
			threadId: string;
			/** Newest first. */
			messages: IDataObject[];
			/** Messages in the thread (AgentMail's message_count), shown or not. */
			total: number;
	  }
	| { status: 'failed'; relation: Relation; sourceId: string; notice: string };

/** At most this many messages are shown (the newest); the page says how many more there are. */
export const CONVERSATION_LIMIT = 20;

/** The conversation must not hold the page up: its requests give up after this long. */
export const CONVERSATION_TIME_MS = 10_000;

function source(draft: IDataObject): { relation: Relation; id: string } | undefined {
	if (typeof draft.in_reply_to === 'string' && draft.in_reply_to) return { relation: 'reply', id: draft.in_reply_to };
	if (typeof draft.forward_of === 'string' && draft.forward_of) return { relation: 'forward', id: draft.forward_of };
	return undefined;
}

function time(message: IDataObject): number {
	const parsed = Date.parse(String(message.timestamp ?? message.created_at ?? ''));
	return Number.isNaN(parsed) ? 0 : parsed;
}

/** Newest first; messages with the same time keep AgentMail's (ascending) order reversed. */
function newestFirst(messages: unknown): IDataObject[] {
	const list = Array.isArray(messages)
		? (messages as unknown[]).filter((m): m is IDataObject => typeof m === 'object' && m !== null)
		: [];
	return list
		.map((message, index) => ({ message, index }))
		.sort((a, b) => time(b.message) - time(a.message) || b.index - a.index)
		.map(({ message }) => message);
}

function notice(relation: Relation, error: unknown, step: 'message' | 'thread'): string {
	const failure = failureOf(error);
	if (failure.status === 404) {
		return step === 'message'
			? `The message this draft ${relation === 'reply' ? 'replies to' : 'forwards'} is no longer in AgentMail, so its conversation cannot be shown.`
			: 'The conversation is no longer in AgentMail, so it cannot be shown.';
	}
	return `The conversation could not be loaded (${failure.error}). You can still decide on the email; reload the page to try again.`;
}

/**
 * Adds to every reply or forward draft the thread of the message it was made
 * from: the draft's own `thread_id` where AgentMail gives one, otherwise the
 * source message's. Only GET requests, each bounded by CONVERSATION_TIME_MS,
 * and a thread shared by several drafts is read once. Nothing here throws: a
 * conversation that cannot be loaded becomes a notice on the page, and the
 * review goes on without it.
 */
export async function addConversations(ctx: AgentMailContext, views: DraftView[]): Promise<void> {
	const node = ctx.getNode();
	const deadline = Date.now() + CONVERSATION_TIME_MS;
	const threads = new Map<string, Promise<IDataObject>>();
	for (const view of views) {
		const from = source(view.draft);
		if (!from) continue;
		let step: 'message' | 'thread' = 'message';
		try {
			const inbox = validId(node, 'Inbox', view.entry.inboxId);
			let threadId = typeof view.draft.thread_id === 'string' ? view.draft.thread_id : '';
			if (!threadId) {
				const message = await agentMailRequest<IDataObject>(ctx, {
					method: 'GET',
					path: apiPath('inboxes', inbox, 'messages', validId(node, 'Message', from.id)),
					deadline,
				});
				threadId = String(message.thread_id ?? '');
			}
			step = 'thread';
			const id = validId(node, 'Thread', threadId);
			const key = `${inbox}\n${id}`;
			let thread = threads.get(key);
			if (!thread) {
				thread = agentMailRequest<IDataObject>(ctx, {
					method: 'GET',
					path: apiPath('inboxes', inbox, 'threads', id),
					qs: { limit: CONVERSATION_LIMIT },
					deadline,
				});
				threads.set(key, thread);
			}
			const loaded = await thread;
			const messages = newestFirst(loaded.messages).slice(0, CONVERSATION_LIMIT);
			const count = Number(loaded.message_count);
			view.conversation = {
				status: 'loaded',
				relation: from.relation,
				sourceId: from.id,
				threadId: id,
				messages,
				total: Number.isInteger(count) && count >= messages.length ? count : messages.length,
			};
		} catch (error) {
			ctx.logger.warn(`AgentMail Wait for Approval: the conversation could not be loaded: ${failureOf(error).error}`);
			view.conversation = { status: 'failed', relation: from.relation, sourceId: from.id, notice: notice(from.relation, error, step) };
		}
	}
}
