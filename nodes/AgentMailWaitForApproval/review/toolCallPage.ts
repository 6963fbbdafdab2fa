import type { IDataObject } from 'n8n-workflow';

import { escapeHtml as e } from './html';
import { htmlPreview, layout } from './page';
import type { EmailPreview, ToolCallState } from './toolCallTypes';

export interface ToolCallPageModel {
	state: ToolCallState;
	errors?: string[];
	/** What the reviewer submitted, shown again when a submission is refused. */
	submitted?: IDataObject;
}

function formatTime(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

/** A parameter value as text: strings as they are, everything else as indented JSON. */
function shown(value: unknown): string {
	if (typeof value === 'string') return value;
	try {
		return JSON.stringify(value, null, 2) ?? String(value);
	} catch {
		return String(value);
	}
}

function emailCard(email: EmailPreview): string {
	const list = (values: string[]) => (values.length ? values.join(', ') : '—');
	const later = email.computedLater.length
		? `<p class="hint">Set by an expression that n8n evaluates only when the tool runs: ${e(email.computedLater.join(', '))}. Shown here as written.</p>`
		: '';
	return `<section class="card"><h2>The email as it would go out (${e(email.operation)})</h2>${later}<dl>
<dt>From</dt><dd>${e(email.from)}</dd>
${email.inReplyTo ? `<dt>In reply to</dt><dd>${e(email.inReplyTo)} (to its sender)</dd>` : ''}
<dt>To</dt><dd>${e(list(email.to))}</dd>
<dt>Cc</dt><dd>${e(list(email.cc))}</dd>
<dt>Bcc</dt><dd>${e(list(email.bcc))}</dd>
<dt>Subject</dt><dd>${e(email.subject)}</dd>
<dt>Text body</dt><dd><pre>${e(email.text)}</pre></dd>
${htmlPreview(email.html)}
</dl></section>`;
}

/**
 * The review page for an AI agent's tool call: the tool, each parameter as
 * the agent chose it, the email it would send (AgentMail tools), and a form
 * that works without JavaScript. Every value is escaped; HTML bodies are
 * shown in a sandboxed iframe, inert. No edits: n8n runs the tool with the
 * agent's original input.
 */
export function renderToolCallPage(model: ToolCallPageModel): string {
	const { state } = model;
	const { call } = state;
	const errors = model.errors?.length
		? `<div class="errors" role="alert"><strong>Nothing was decided.</strong><ul>${model.errors
				.map((error) => `<li>${e(error)}</li>`)
				.join('')}</ul></div>`
		: '';
	const parameters = call.parameters.length
		? `<dl>${call.parameters.map((parameter) => `<dt>${e(parameter.key)}</dt><dd><pre>${e(shown(parameter.value))}</pre></dd>`).join('\n')}</dl>`
		: '<p>The agent passed no parameters.</p>';
	// n8n's default Message renders the parameters object as "[object Object]";
	// the parameters are shown one by one above, so only a Message that says
	// something of its own is shown.
	const message =
		call.message && !call.message.includes('[object Object]') ? `<h2>Message</h2><pre>${e(call.message)}</pre>` : '';
	return layout(
		'Review an AI agent tool call',
		`<h1>Review a tool call before it runs</h1>
<p class="meta">Requested by ${e(state.requestedBy)} · expires ${e(formatTime(state.expiresAt))}. Approving lets n8n run the tool with exactly the agent's input shown here; this page offers no edits. Rejecting tells the agent your reason, and the tool does not run.</p>
${errors}
<section class="card"><h2>Tool: ${e(call.toolName)}</h2><dl>
${call.gatedNode ? `<dt>Node</dt><dd>${e(call.gatedNode)}</dd>` : ''}
<dt>Tool call id</dt><dd>${e(call.toolCallId || '—')}</dd>
</dl>
<h2>Parameters</h2>${parameters}
${message}
</section>
${call.email ? emailCard(call.email) : ''}
<form method="post" action="" accept-charset="utf-8">
<input type="hidden" name="tool_call" value="${e(call.toolCallId)}">
<section class="card">
<label for="reviewer">${state.requireReviewer ? 'Your name or email (required)' : 'Your name or email'}</label>
<input type="text" id="reviewer" name="reviewer" value="${e(model.submitted?.reviewer ?? '')}">
<label for="reason">Reason for the agent ${state.requireReason ? '<span class="hint">(required when rejecting; the agent receives it)</span>' : '<span class="hint">(optional; the agent receives it)</span>'}</label>
<textarea id="reason" name="reason" style="min-height:70px">${e(model.submitted?.reason ?? '')}</textarea>
<div class="actions"><button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="reject" name="decision" value="reject">Reject</button></div>
</section>
</form>`,
	);
}
