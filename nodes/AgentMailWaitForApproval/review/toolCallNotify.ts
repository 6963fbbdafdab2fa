import { escapeHtml as e } from './html';
import type { ToolCallState } from './toolCallTypes';

function expiry(iso: string): string {
	return new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/**
 * The approvers' email for a tool call: who asks, which tool, when the
 * request expires and the review link. Never the tool's input: an email
 * body the agent wrote (or anything else it passes) is shown only on the
 * review page, behind the signed link.
 */
export function toolCallNotification(state: ToolCallState, reviewUrl: string): { subject: string; text: string; html: string } {
	const tool = state.call.toolName;
	const what = state.call.email ? `an email (${state.call.email.operation})` : 'a tool call';
	const subject = `Approval needed: AI agent tool call "${tool}"`;
	const text = [
		`${state.requestedBy} asks you to approve ${what} by an AI agent before it runs.`,
		'',
		`Tool: ${tool}`,
		`Expires: ${expiry(state.expiresAt)}`,
		'',
		'Review, approve or reject here:',
		reviewUrl,
		'',
		"The tool's input is shown only on the review page.",
	].join('\n');
	const html = `<p>${e(state.requestedBy)} asks you to approve ${e(what)} by an AI agent before it runs.</p>
<table cellpadding="4"><tr><td><b>Tool</b></td><td>${e(tool)}</td></tr><tr><td><b>Expires</b></td><td>${e(expiry(state.expiresAt))}</td></tr></table>
<p><a href="${e(reviewUrl)}">Review the tool call</a></p>
<p>The tool's input is shown only on the review page.</p>`;
	return { subject, text, html };
}
