import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { agentMailRequest, apiPath, type ValidId } from '../../shared/transport';
import { escapeHtml as e } from './html';
import type { ApprovalSettings } from './types';

function list(value: unknown): string {
	return Array.isArray(value) && value.length ? value.map(String).join(', ') : '—';
}

/**
 * The approvers' notification: who asks, what is to be sent (subject,
 * sender, recipients, attachment count), when the request expires and the
 * review link. Never the body: that is shown only on the review page, behind
 * the signed link.
 */
export function notificationContent(
	drafts: IDataObject[],
	settings: ApprovalSettings,
	reviewUrl: string,
): { subject: string; text: string; html: string } {
	const first = drafts[0] ?? {};
	const subject =
		drafts.length === 1
			? `Approval needed: ${String(first.subject ?? '(no subject)')}`
			: `Approval needed: ${drafts.length} emails`;
	const expires = new Date(settings.expiresAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
	const rows = drafts.map((draft) => {
		const attachments = Array.isArray(draft.attachments) ? draft.attachments.length : 0;
		return {
			From: String(draft.inbox_id ?? ''),
			To: list(draft.to),
			Cc: list(draft.cc),
			Bcc: list(draft.bcc),
			Subject: String(draft.subject ?? '(no subject)'),
			Attachments: String(attachments),
		};
	});
	const text = [
		`${settings.requestedBy} asks you to approve ${drafts.length === 1 ? 'an email' : `${drafts.length} emails`} before ${drafts.length === 1 ? 'it is' : 'they are'} sent.`,
		'',
		...rows.flatMap((row, index) => [
			...(rows.length > 1 ? [`Email ${index + 1}`] : []),
			...Object.entries(row).map(([key, value]) => `${key}: ${value}`),
			'',
		]),
		`Review, edit, approve or reject here (expires ${expires}):`,
		reviewUrl,
		'',
		'The message body is shown only on the review page.',
	].join('\n');
	const html = `<p>${e(settings.requestedBy)} asks you to approve ${drafts.length === 1 ? 'an email' : `${drafts.length} emails`} before sending.</p>
${rows
	.map(
		(row) =>
			`<table cellpadding="4">${Object.entries(row)
				.map(([key, value]) => `<tr><td><b>${e(key)}</b></td><td>${e(value)}</td></tr>`)
				.join('')}</table>`,
	)
	.join('<hr>')}
<p><a href="${e(reviewUrl)}">Review the email</a> (expires ${e(expires)})</p>
<p>The message body is shown only on the review page.</p>`;
	return { subject, text, html };
}

export async function sendNotification(
	ctx: IExecuteFunctions,
	fromInbox: ValidId,
	approvers: string[],
	content: { subject: string; text: string; html: string },
	key: string,
): Promise<IDataObject> {
	return await agentMailRequest<IDataObject>(ctx, {
		method: 'POST',
		path: apiPath('inboxes', fromInbox, 'messages', 'send'),
		body: { to: approvers, subject: content.subject, text: content.text, html: content.html, labels: ['approval-request'] },
		idempotencyKey: key,
	});
}
