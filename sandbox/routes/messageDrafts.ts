/**
 * Drafts created from a message (AGENTMAIL_API.md §11): `draft-reply`,
 * `draft-reply-all` and `draft-forward` save the reply or forward as a draft
 * instead of sending it, for review before Send Draft. They are the same
 * drafts as `POST .../drafts` with `in_reply_to` (+ `reply_all`) or
 * `forward_of`. Each route is one self-contained entry of `messageDraftRoutes`.
 */
import { toList } from '../addresses';
import { ok, type RequestContext } from '../context';
import { createDraft, sourceMessage } from '../mail/drafts';
import type { Route } from '../router';
import {
	createDraftSchema,
	draftForwardSchema,
	draftReplyAllSchema,
	draftReplySchema,
	parseBody,
	type CreateDraftInput,
} from '../schemas';
import { toDraft } from '../views';
import { inboxOf } from './common';

type Addressed = { to?: string | string[]; cc?: string | string[]; bcc?: string | string[]; reply_to?: string | string[] };

/** `string | string[]` recipients (as the send bodies take them) as the draft's arrays. */
function asDraftInput<T extends Addressed>(input: T, extra: Partial<CreateDraftInput>): CreateDraftInput {
	const out: Record<string, unknown> = { ...input, ...extra };
	for (const field of ['to', 'cc', 'bcc', 'reply_to'] as const) {
		if (input[field] !== undefined) out[field] = toList(input[field]);
	}
	// The same rules as a create with in_reply_to / forward_of (e.g. no to/cc/bcc with reply_all).
	return parseBody(createDraftSchema, out);
}

/** 404 for an unknown inbox or message (before the body is looked at), then the draft. */
function draftFrom(ctx: RequestContext, parse: () => CreateDraftInput) {
	const inbox = inboxOf(ctx);
	sourceMessage(ctx.app.store, inbox.inbox_id, ctx.params.message_id, 'message_id');
	return ok(toDraft(createDraft(ctx.app.store, inbox, parse())));
}

const BASE = '/v0/inboxes/:inbox_id/messages/:message_id';

export const messageDraftRoutes: Route[] = [
	{
		method: 'POST',
		pattern: `${BASE}/draft-reply`,
		handler: (ctx) =>
			draftFrom(ctx, () => asDraftInput(parseBody(draftReplySchema, ctx.body), { in_reply_to: ctx.params.message_id })),
	},
	{
		method: 'POST',
		pattern: `${BASE}/draft-reply-all`,
		handler: (ctx) =>
			draftFrom(ctx, () =>
				asDraftInput(parseBody(draftReplyAllSchema, ctx.body), { in_reply_to: ctx.params.message_id, reply_all: true }),
			),
	},
	{
		method: 'POST',
		pattern: `${BASE}/draft-forward`,
		handler: (ctx) =>
			draftFrom(ctx, () => asDraftInput(parseBody(draftForwardSchema, ctx.body), { forward_of: ctx.params.message_id })),
	},
];
