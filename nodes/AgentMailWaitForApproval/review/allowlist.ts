import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { bareAddress } from '../../shared/helpers/addresses';
import { apiPath, fetchAll, type ValidId } from '../../shared/transport';

/** Entries of one send allow list, lower-cased. */
async function sendAllowEntries(ctx: IExecuteFunctions, inbox?: ValidId): Promise<Set<string>> {
	const path = inbox
		? apiPath('inboxes', inbox, 'lists', 'send', 'allow')
		: apiPath('lists', 'send', 'allow');
	const entries = await fetchAll(ctx, { path, itemsKey: 'entries' });
	return new Set(entries.map((entry) => String(entry.entry ?? '').toLowerCase()).filter(Boolean));
}

function listed(entries: Set<string>, address: string): boolean {
	const domain = address.slice(address.lastIndexOf('@') + 1);
	return entries.has(address) || entries.has(domain);
}

/**
 * Whether every recipient (to, cc, bcc) of the draft is on the inbox's or the
 * organization's send allow list, by address or by domain. A draft with no
 * recipients is never "all allowlisted".
 */
export async function allRecipientsAllowlisted(
	ctx: IExecuteFunctions,
	inbox: ValidId,
	draft: IDataObject,
	cache: Map<string, Set<string>>,
): Promise<boolean> {
	const recipients = ['to', 'cc', 'bcc']
		.flatMap((field) => (Array.isArray(draft[field]) ? (draft[field] as string[]) : []))
		.map((value) => bareAddress(value)?.toLowerCase());
	if (recipients.length === 0 || recipients.some((address) => !address)) return false;
	if (!cache.has('')) cache.set('', await sendAllowEntries(ctx));
	if (!cache.has(inbox)) cache.set(inbox, await sendAllowEntries(ctx, inbox));
	const lists = [cache.get(inbox) as Set<string>, cache.get('') as Set<string>];
	return recipients.every((address) => lists.some((entries) => listed(entries, address as string)));
}
