import type { IDataObject } from 'n8n-workflow';

import { bareAddress } from '../../shared/helpers/addresses';
import { firstControlCharacter, hasControlCharacter } from '../../shared/helpers/values';
import { EDITABLE_FIELDS, type ApprovalSettings, type EditableField, type ReviewEntry } from './types';

export type Verdict = 'approve' | 'reject';

/** What the reviewer submitted for one draft. */
export interface EntrySubmission {
	verdict: Verdict;
	/** updated_at of the draft the reviewer saw. */
	version: string;
	/** Values of the editable fields as submitted (only when edits are allowed). */
	values: Partial<Record<EditableField, unknown>>;
}

export interface Submission {
	reviewer: string;
	reason: string;
	entries: EntrySubmission[];
}

export interface ParsedForm {
	submission?: Submission;
	errors: string[];
}

export function field(body: IDataObject, name: string): string {
	const value = body[name];
	if (Array.isArray(value)) return String(value[value.length - 1] ?? '');
	return value === undefined || value === null ? '' : String(value);
}

/** Splits an address field on commas outside quotes and angle brackets. */
export function addressList(text: string): string[] {
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	let angled = false;
	for (const char of text) {
		if (char === '"') quoted = !quoted;
		if (char === '<' && !quoted) angled = true;
		if (char === '>' && !quoted) angled = false;
		if ((char === ',' || char === ';' || char === '\n') && !quoted && !angled) {
			parts.push(current);
			current = '';
		} else {
			current += char;
		}
	}
	parts.push(current);
	return parts.map((part) => part.trim()).filter(Boolean);
}

function editedValue(name: EditableField, raw: string, errors: string[], label: string): unknown {
	if (name === 'to' || name === 'cc' || name === 'bcc') {
		const list = addressList(raw);
		for (const address of list) {
			if (!bareAddress(address)) errors.push(`${label} ${name.toUpperCase()}: "${address}" is not a valid email address`);
		}
		return list;
	}
	if (name === 'send_at') {
		const text = raw.trim();
		if (!text) return null;
		const date = new Date(text);
		if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
			errors.push(`${label} send time: "${text}" is not an ISO 8601 date and time (e.g. 2026-12-01T09:00:00Z)`);
			return null;
		}
		if (date.getTime() <= Date.now()) errors.push(`${label} send time: ${date.toISOString()} is in the past`);
		return date.toISOString();
	}
	if (name === 'subject' && hasControlCharacter(raw, { allowTab: true })) {
		// A line break in a header could start another header (Bcc: ...).
		errors.push(`${label} subject: may not contain a line break or control character (${firstControlCharacter(raw, { allowTab: true })})`);
		return null;
	}
	return raw === '' ? null : raw.replace(/\r\n/g, '\n');
}

/**
 * Reads the review form (application/x-www-form-urlencoded, as n8n parses it).
 * A single draft is decided by the Approve / Reject button (`decision`); with
 * several drafts each has its own `decision_<n>` choice.
 */
export function parseReviewForm(
	body: IDataObject,
	entries: ReviewEntry[],
	settings: ApprovalSettings,
): ParsedForm {
	const errors: string[] = [];
	const reviewer = field(body, 'reviewer').trim().slice(0, 200);
	const reason = field(body, 'reason').trim().slice(0, 2000);
	const submissions: EntrySubmission[] = [];
	entries.forEach((_entry, position) => {
		const label = entries.length > 1 ? `Draft ${position + 1}:` : 'Draft:';
		const choice = field(body, `decision_${position}`) || field(body, 'decision');
		if (choice !== 'approve' && choice !== 'reject') {
			errors.push(`${label} choose Approve or Reject`);
			return;
		}
		const values: EntrySubmission['values'] = {};
		if (settings.allowEdits && choice === 'approve') {
			for (const name of EDITABLE_FIELDS) {
				const key = `${name}_${position}`;
				if (key in body) values[name] = editedValue(name, field(body, key), errors, label);
			}
		}
		submissions.push({ verdict: choice, version: field(body, `version_${position}`), values });
	});
	if (settings.requireReviewer && !reviewer) errors.push('Enter your name or email address as the reviewer');
	if (settings.requireReason && submissions.some((entry) => entry.verdict === 'reject') && !reason) {
		errors.push('Enter a reason for the rejection');
	}
	return errors.length ? { errors } : { errors, submission: { reviewer, reason, entries: submissions } };
}

function normalize(name: EditableField, value: unknown): unknown {
	if (name === 'to' || name === 'cc' || name === 'bcc') {
		return Array.isArray(value) ? value.map((entry) => String(entry).trim()).filter(Boolean) : [];
	}
	if (name === 'send_at') return value ? new Date(String(value)).toISOString() : null;
	if (value === undefined || value === null || value === '') return null;
	return String(value).replace(/\r\n/g, '\n');
}

/**
 * Field-level diff between the draft the reviewer saw and what they submitted:
 * only fields whose value really changed.
 */
export function diffEdits(
	current: Record<EditableField, unknown>,
	submitted: Partial<Record<EditableField, unknown>>,
): Record<string, { from: unknown; to: unknown }> {
	const changes: Record<string, { from: unknown; to: unknown }> = {};
	for (const name of EDITABLE_FIELDS) {
		if (!(name in submitted)) continue;
		const from = normalize(name, current[name]);
		const to = normalize(name, submitted[name]);
		if (JSON.stringify(from) !== JSON.stringify(to)) changes[name] = { from, to };
	}
	return changes;
}
