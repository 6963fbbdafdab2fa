/**
 * Drafts (AGENTMAIL_API.md §2). Read routes exist at inbox and organization
 * scope and share their handlers; create, update, delete and send are
 * inbox-scoped only.
 */
import { noContent, ok, type RequestContext } from '../context';
import { attachmentResponse } from '../mail/attachments';
import { createDraft, deleteDraft, findDraft, sendDraft, updateDraft } from '../mail/drafts';
import { labelList } from '../mail/labels';
import type { DraftRecord } from '../model';
import { pageBody, paginate } from '../pagination';
import type { Route } from '../router';
import { createDraftSchema, parseBody, updateDraftSchema, updateLabelsSchema } from '../schemas';
import { toDraft, toDraftItem } from '../views';
import { descending, inboxOf, labelAndTimeFilter, timeKey } from './common';

/** The path's draft, checked against the path's inbox when there is one. */
function draftOf(ctx: RequestContext) {
	const inboxId = ctx.params.inbox_id !== undefined ? inboxOf(ctx).inbox_id : undefined;
	return findDraft(ctx.app.store, ctx.params.draft_id, inboxId);
}

function listDrafts(ctx: RequestContext) {
	const inboxId = ctx.params.inbox_id !== undefined ? inboxOf(ctx).inbox_id : undefined;
	const matches = labelAndTimeFilter(ctx.query, (draft: DraftRecord) => draft.updated_at);
	const drafts = [...ctx.app.store.drafts.values()].filter(
		(draft) => (inboxId === undefined || draft.inbox_id === inboxId) && matches(draft),
	);
	const page = paginate({
		items: drafts,
		keyOf: (draft) => timeKey(draft.updated_at, draft.draft_id),
		descending: descending(ctx.query),
		query: ctx.query,
		binding: `drafts:${inboxId ?? '*'}`,
	});
	return ok(pageBody('drafts', page, toDraftItem));
}

async function send(ctx: RequestContext) {
	const draft = draftOf(ctx);
	const input = parseBody(updateLabelsSchema, ctx.body);
	const result = await sendDraft(ctx.app.store, draft, {
		addLabels: labelList(input.add_labels),
		removeLabels: labelList(input.remove_labels),
		meta: { via: 'draft', idempotencyKey: ctx.idempotencyKey },
		whileSending: ctx.pause,
	});
	return ok(result);
}

const getDraft = (ctx: RequestContext) => ok(toDraft(draftOf(ctx)));
const getAttachment = (ctx: RequestContext) =>
	ok(attachmentResponse(draftOf(ctx).attachments, ctx.params.attachment_id, ctx.baseUrl));

const INBOX = '/v0/inboxes/:inbox_id/drafts';
const ORG = '/v0/drafts';

export const draftRoutes: Route[] = [
	...[INBOX, ORG].flatMap((base): Route[] => [
		{ method: 'GET', pattern: base, handler: listDrafts },
		{ method: 'GET', pattern: `${base}/:draft_id`, handler: getDraft },
		{ method: 'GET', pattern: `${base}/:draft_id/attachments/:attachment_id`, handler: getAttachment },
	]),
	{
		method: 'POST',
		pattern: INBOX,
		handler: (ctx) => ok(toDraft(createDraft(ctx.app.store, inboxOf(ctx), parseBody(createDraftSchema, ctx.body)))),
	},
	{
		method: 'PATCH',
		pattern: `${INBOX}/:draft_id`,
		handler: (ctx) => ok(toDraft(updateDraft(ctx.app.store, draftOf(ctx), parseBody(updateDraftSchema, ctx.body)))),
	},
	{
		method: 'DELETE',
		pattern: `${INBOX}/:draft_id`,
		handler: (ctx) => {
			deleteDraft(ctx.app.store, draftOf(ctx));
			return noContent();
		},
	},
	{ method: 'POST', pattern: `${INBOX}/:draft_id/send`, handler: send, idempotent: true },
];
