import type { IDataObject } from 'n8n-workflow';

import type { Conversation } from './conversation';
import { renderConversation, sourceRow } from './conversationView';
import { attachmentsOf, formatSize, formatTime, list } from './format';
import { escapeHtml as e, inertHtmlFrame } from './html';
import type { ApprovalSettings, ReviewEntry } from './types';

export interface DraftView {
	entry: ReviewEntry;
	/** The draft as it is in AgentMail now. */
	draft: IDataObject;
	/** The thread of the message a reply or forward draft was made from (conversation.ts). */
	conversation?: Conversation;
	/** Signed download links of the draft's attachments, by attachment id (attachment.ts). */
	attachmentUrls?: Record<string, string>;
}

export interface ReviewPageModel {
	settings: ApprovalSettings;
	drafts: DraftView[];
	errors?: string[];
	notice?: string;
	/** What the reviewer submitted, shown again when a submission is refused. */
	submitted?: IDataObject;
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f5f7;color:#111}
main{max-width:860px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#555;margin:0 0 16px}
.card{background:#fff;border:1px solid #ddd;border-radius:10px;padding:16px 18px;margin:16px 0}
.card h2{font-size:17px;margin:0 0 12px}
dl{display:grid;grid-template-columns:130px 1fr;gap:6px 12px;margin:0 0 12px}
dt{color:#555}
dd{margin:0;word-break:break-word}
pre{white-space:pre-wrap;word-break:break-word;background:#fafafa;border:1px solid #eee;border-radius:6px;padding:10px;margin:6px 0 12px;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace}
iframe{width:100%;min-height:260px;border:1px solid #eee;border-radius:6px;background:#fff;box-sizing:border-box}
a{color:#1d4ed8}
q{display:block;color:#333;margin:4px 0;font-style:italic}
.conversation details.message{border-top:1px solid #eee;padding:8px 0}
.conversation summary{cursor:pointer;word-break:break-word}
.conversation .subject{color:#333}
.conversation details.html summary{color:#555;font-size:13px}
.badge{display:inline-block;background:#e0e7ff;color:#1e3a8a;border-radius:10px;padding:0 8px;font-size:12px}
label{display:block;font-weight:600;margin:10px 0 4px}
input[type=text],textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #bbb;border-radius:6px;font:inherit}
textarea{min-height:140px}
.hint{color:#666;font-weight:400;font-size:13px}
.errors{background:#fde8e8;border:1px solid #f5b5b5;border-radius:8px;padding:10px 14px;margin:12px 0}
.notice{background:#fff6db;border:1px solid #f0d98a;border-radius:8px;padding:10px 14px;margin:12px 0}
.choice{display:flex;gap:16px;margin:12px 0 0}
.actions{display:flex;gap:12px;margin-top:18px;flex-wrap:wrap}
button{font:inherit;font-weight:600;padding:10px 22px;border-radius:8px;border:0;cursor:pointer}
.approve{background:#15803d;color:#fff}
.reject{background:#b91c1c;color:#fff}
.submit{background:#1d4ed8;color:#fff}
@media (max-width:560px){main{padding:12px 8px 32px}.card{padding:12px}dl{grid-template-columns:1fr;gap:2px}dt{font-weight:600;margin-top:6px}.actions button{flex:1 1 40%}}
`;

export function layout(title: string, body: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The draft's attachments by name and size, each a download link where it has one. */
function attachmentsList(view: DraftView): string {
	const attachments = attachmentsOf(view.draft);
	if (!attachments.length) return 'none';
	return attachments
		.map((attachment) => {
			const name = e(attachment.filename ?? attachment.attachment_id);
			const url = view.attachmentUrls?.[String(attachment.attachment_id)];
			const shown = url ? `<a href="${e(url)}" download>${name}</a>` : name;
			return `${shown} (${e(formatSize(attachment.size))})`;
		})
		.join(', ');
}

function input(name: string, label: string, value: unknown, hint = ''): string {
	return `<label for="${name}">${e(label)}${hint ? ` <span class="hint">${e(hint)}</span>` : ''}</label>
<input type="text" id="${name}" name="${name}" value="${e(value)}">`;
}

function textarea(name: string, label: string, value: unknown): string {
	return `<label for="${name}">${e(label)}</label><textarea id="${name}" name="${name}">${e(value)}</textarea>`;
}

export function htmlPreview(html: unknown): string {
	if (!html) return '';
	return `<dt>HTML body</dt><dd>${inertHtmlFrame(html, 'HTML body (scripts and remote content disabled)')}</dd>`;
}

function draftCard(view: DraftView, position: number, model: ReviewPageModel): string {
	const { draft, entry } = view;
	const value = (name: string, current: unknown) => {
		const submitted = model.submitted?.[`${name}_${position}`];
		return typeof submitted === 'string' ? submitted : current;
	};
	const many = model.drafts.length > 1;
	const sendAt = entry.originalSendAt;
	const heading = many ? `Draft ${position + 1} of ${model.drafts.length}` : 'Email to review';
	const summary = `<dl>
<dt>From</dt><dd>${e(draft.inbox_id ?? entry.inboxId)}</dd>
<dt>To</dt><dd>${e(list(draft.to))}</dd>
<dt>Cc</dt><dd>${e(list(draft.cc))}</dd>
<dt>Bcc</dt><dd>${e(list(draft.bcc))}</dd>
<dt>Subject</dt><dd>${e(draft.subject)}</dd>
${sourceRow(view.conversation, position)}
<dt>Scheduled</dt><dd>${sendAt ? e(formatTime(sendAt)) : 'not scheduled'}</dd>
<dt>Attachments</dt><dd>${attachmentsList(view)}</dd>
<dt>Labels</dt><dd>${e(list(draft.labels))}</dd>
<dt>Text body</dt><dd><pre>${e(draft.text)}</pre></dd>
${htmlPreview(draft.html)}
</dl>`;
	const edits = model.settings.allowEdits
		? `<details open><summary>Edit before approving</summary>
${input(`subject_${position}`, 'Subject', value('subject', draft.subject))}
${input(`to_${position}`, 'To', value('to', list(draft.to)), 'comma-separated')}
${input(`cc_${position}`, 'Cc', value('cc', list(draft.cc)), 'comma-separated')}
${input(`bcc_${position}`, 'Bcc', value('bcc', list(draft.bcc)), 'comma-separated')}
${textarea(`text_${position}`, 'Text body', value('text', draft.text))}
${textarea(`html_${position}`, 'HTML body (source)', value('html', draft.html))}
${input(`send_at_${position}`, 'Send at', value('send_at', sendAt ?? ''), 'ISO 8601 in UTC, e.g. 2026-12-01T09:00:00Z; empty = not scheduled')}
</details>`
		: '';
	const choice = many
		? `<div class="choice"><label><input type="radio" name="decision_${position}" value="approve"> Approve</label>
<label><input type="radio" name="decision_${position}" value="reject"> Reject</label></div>`
		: '';
	return `<section class="card"><h2>${e(heading)}</h2>${summary}
<input type="hidden" name="version_${position}" value="${e(draft.updated_at)}">
${edits}${choice}</section>`;
}

/** The review form: works without JavaScript; every value from the draft is escaped. */
export function renderReviewPage(model: ReviewPageModel): string {
	const { settings } = model;
	const errors = model.errors?.length
		? `<div class="errors" role="alert"><strong>Nothing was decided.</strong><ul>${model.errors
				.map((error) => `<li>${e(error)}</li>`)
				.join('')}</ul></div>`
		: '';
	const notice = model.notice ? `<div class="notice" role="status">${e(model.notice)}</div>` : '';
	const onApproval =
		settings.onApproval === 'send'
			? 'Approving sends the email now (or at the send time you set).'
			: 'Approving keeps the draft for sending at its scheduled time.';
	const buttons =
		model.drafts.length > 1
			? '<button type="submit" class="submit" name="submit" value="1">Submit decisions</button>'
			: `<button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="reject" name="decision" value="reject">Reject</button>`;
	return layout(
		'Review email before sending',
		`<h1>Review email before it is sent</h1>
<p class="meta">Requested by ${e(settings.requestedBy)} · expires ${e(formatTime(settings.expiresAt))}. ${e(onApproval)}</p>
${errors}${notice}
<form method="post" action="" accept-charset="utf-8">
${model.drafts.map((view, position) => draftCard(view, position, model)).join('\n')}
<section class="card">
${input('reviewer', settings.requireReviewer ? 'Your name or email (required)' : 'Your name or email', model.submitted?.reviewer ?? '')}
<label for="reason">Reason ${settings.requireReason ? '<span class="hint">(required when rejecting)</span>' : '<span class="hint">(optional)</span>'}</label>
<textarea id="reason" name="reason" style="min-height:70px">${e(model.submitted?.reason ?? '')}</textarea>
<div class="actions">${buttons}</div>
</section>
</form>
${model.drafts.map((view, position) => renderConversation(view.conversation, position, model.drafts.length)).join('\n')}`,
	);
}

/** A page that only informs: decided, expired, already decided, gone. */
export function renderMessagePage(title: string, message: string, details: string[] = []): string {
	const items = details.length ? `<ul>${details.map((detail) => `<li>${e(detail)}</li>`).join('')}</ul>` : '';
	return layout(title, `<section class="card"><h1>${e(title)}</h1><p>${e(message)}</p>${items}</section>`);
}
