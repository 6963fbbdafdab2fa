/** Reply and forward derivations: recipients, subject, threading. */
import { emailOf, uniqueAddresses } from '../addresses';
import type { InboxRecord, MessageRecord } from '../model';

export interface Threading {
	thread_id: string;
	in_reply_to: string;
	references: string[];
}

/** A reply or forward joins the source's thread and extends its references. */
export function threadingFrom(source: MessageRecord): Threading {
	return {
		thread_id: source.thread_id,
		in_reply_to: source.message_id,
		references: [...(source.references ?? []), source.message_id],
	};
}

export function replySubject(subject: string | undefined): string {
	const base = subject ?? '';
	return /^re:/i.test(base) ? base : `Re: ${base}`.trimEnd();
}

export function forwardSubject(subject: string | undefined): string {
	const base = subject ?? '';
	return /^(fwd?|fw):/i.test(base) ? base : `Fwd: ${base}`.trimEnd();
}

/**
 * Who a reply goes to. For mail we received: its reply_to or sender; with
 * `all`, also its other to/cc recipients. For mail we sent: its recipients.
 * Our own address is never a recipient.
 */
export function replyRecipients(
	source: MessageRecord,
	inbox: InboxRecord,
	all: boolean,
): { to: string[]; cc: string[] } {
	const own = [inbox.email.toLowerCase()];
	const outbound = source.labels.includes('sent') && !source.labels.includes('received');
	const primary = outbound ? source.to : source.reply_to?.length ? source.reply_to : [source.from];
	if (!all) return { to: uniqueAddresses(primary, own), cc: [] };
	const to = uniqueAddresses(outbound ? primary : [...primary, ...source.to], own);
	const taken = [...own, ...to.map((address) => emailOf(address) ?? address)];
	return { to, cc: uniqueAddresses(source.cc ?? [], taken) };
}

/** The forwarded message appended below the new text, as mail clients do. */
export function forwardedBody(source: MessageRecord, text?: string, html?: string): { text?: string; html?: string } {
	const header = [
		'---------- Forwarded message ---------',
		`From: ${source.from}`,
		`Date: ${source.timestamp}`,
		`Subject: ${source.subject ?? ''}`,
		`To: ${source.to.join(', ')}`,
	].join('\n');
	const out: { text?: string; html?: string } = {};
	if (text !== undefined || source.text !== undefined) {
		out.text = [text, header, source.text].filter((part) => part !== undefined).join('\n\n');
	}
	if (html !== undefined || source.html !== undefined) {
		const quoted = `<div>${header.replace(/\n/g, '<br>')}</div>${source.html ?? ''}`;
		out.html = `${html ?? ''}${quoted}`;
	}
	return out;
}
