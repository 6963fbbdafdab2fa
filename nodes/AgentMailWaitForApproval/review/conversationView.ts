import type { IDataObject } from 'n8n-workflow';

import type { Conversation } from './conversation';
import { attachmentsOf, formatSize, formatTime, list } from './format';
import { escapeHtml as e, inertHtmlFrame } from './html';

/** The page fragment a draft's conversation is at (the draft's summary links to it). */
export function conversationAnchor(position: number): string {
	return `conversation-${position}`;
}

const PREVIEW_CHARS = 240;

function textOf(message: IDataObject): string {
	for (const field of ['text', 'extracted_text', 'preview'] as const) {
		if (typeof message[field] === 'string' && message[field] !== '') return message[field] as string;
	}
	return '';
}

function preview(message: IDataObject): string {
	const text = (typeof message.preview === 'string' && message.preview ? message.preview : textOf(message))
		.replace(/\s+/g, ' ')
		.trim();
	return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

function relationLabel(conversation: Conversation): string {
	return conversation.relation === 'reply' ? 'In reply to' : 'Forwards';
}

/**
 * The draft summary's row naming the message the draft answers (or
 * forwards): sender, time, subject and the start of its text, with a link
 * down to the conversation; or why the conversation is missing.
 */
export function sourceRow(conversation: Conversation | undefined, position: number): string {
	if (!conversation) return '';
	const label = relationLabel(conversation);
	if (conversation.status === 'failed') {
		return `<dt>${label}</dt><dd>${e(conversation.sourceId)} <span class="hint">(${e(conversation.notice)})</span></dd>`;
	}
	const message = conversation.messages.find((m) => m.message_id === conversation.sourceId);
	const link = `<a href="#${conversationAnchor(position)}">See the conversation below</a>`;
	if (!message) return `<dt>${label}</dt><dd>a message of this conversation. ${link}</dd>`;
	const quote = preview(message);
	return `<dt>${label}</dt><dd><strong>${e(message.from)}</strong>, ${e(formatTime(message.timestamp))}: ${e(
		message.subject ?? '(no subject)',
	)}${quote ? `<q>${e(quote)}</q>` : ''} ${link}</dd>`;
}

function attachmentsText(message: IDataObject): string {
	const attachments = attachmentsOf(message);
	if (!attachments.length) return '';
	const names = attachments
		.map((attachment) => `${e(attachment.filename ?? attachment.attachment_id)} (${e(formatSize(attachment.size))})`)
		.join(', ');
	return `\n<dt>Attachments</dt><dd>${names}</dd>`;
}

function messageBody(message: IDataObject): string {
	const text = textOf(message);
	const html = typeof message.html === 'string' && message.html !== '' ? message.html : '';
	const frame = html ? inertHtmlFrame(html, 'Message HTML (scripts and remote content disabled)') : '';
	if (text && frame) return `<pre>${e(text)}</pre><details class="html"><summary>HTML version</summary>${frame}</details>`;
	if (text) return `<pre>${e(text)}</pre>`;
	return frame || '<p class="hint">(no text)</p>';
}

function messageCard(message: IDataObject, index: number, conversation: Conversation & { status: 'loaded' }): string {
	const isSource = message.message_id === conversation.sourceId;
	const badge = isSource
		? ` <span class="badge">${conversation.relation === 'reply' ? 'replied to' : 'forwarded'}</span>`
		: '';
	const cc = list(message.cc);
	// The newest message, and the one the draft answers, are open; older ones collapsed (no JavaScript needed).
	return `<details class="message"${index === 0 || isSource ? ' open' : ''}>
<summary><strong>${e(message.from)}</strong> · ${e(formatTime(message.timestamp))}${badge}<br><span class="subject">${e(
		message.subject ?? '(no subject)',
	)}</span></summary>
<dl>
<dt>From</dt><dd>${e(message.from)}</dd>
<dt>To</dt><dd>${e(list(message.to))}</dd>${cc ? `\n<dt>Cc</dt><dd>${e(cc)}</dd>` : ''}
<dt>Time</dt><dd>${e(formatTime(message.timestamp))}</dd>
<dt>Subject</dt><dd>${e(message.subject)}</dd>${attachmentsText(message)}
</dl>
${messageBody(message)}
</details>`;
}

/**
 * The conversation below the form: the thread's messages newest first, the
 * newest open and older ones in closed <details>. Everything is escaped, and
 * HTML bodies are only ever in inert frames, exactly like the draft's.
 */
export function renderConversation(conversation: Conversation | undefined, position: number, drafts: number): string {
	if (!conversation) return '';
	const of = drafts > 1 ? ` of draft ${position + 1}` : '';
	const open = `<section class="card conversation" id="${conversationAnchor(position)}">`;
	if (conversation.status === 'failed') {
		return `${open}<h2>Conversation${of}</h2><div class="notice" role="status">${e(conversation.notice)}</div></section>`;
	}
	const shown = conversation.messages.length;
	const hidden = conversation.total - shown;
	const count = `${conversation.total} message${conversation.total === 1 ? '' : 's'}`;
	return `${open}<h2>Conversation${of} <span class="hint">(${count}, newest first)</span></h2>
<p class="hint">For reference only: nothing here is sent or changed.</p>
${shown ? conversation.messages.map((message, index) => messageCard(message, index, conversation)).join('\n') : '<p>The conversation has no messages to show.</p>'}
${hidden > 0 ? `<p class="hint">${hidden} older message${hidden === 1 ? ' is' : 's are'} not shown.</p>\n` : ''}</section>`;
}
