import type { IDataObject } from 'n8n-workflow';

import { firstTime } from './dedupe';
import { inboxOf, senderOf, toItem, type AgentMailEvent } from './events';
import type { TriggerSettings } from './settings';

export const RECENT_EVENT_IDS = 'recentEventIds';
export const RECENT_SVIX_IDS = 'recentSvixIds';

/**
 * The output item for `event`, or undefined when it must start nothing: a
 * type or inbox outside the selection (AgentMail filters already; this guards
 * against a webhook edited elsewhere), mail from an ignored sender (loop
 * guard), or an `event_id` seen before.
 */
export function acceptEvent(
	settings: TriggerSettings,
	staticData: IDataObject,
	scope: string,
	event: AgentMailEvent,
): IDataObject | undefined {
	if (!settings.events.includes(event.event_type)) return undefined;
	if (settings.scope === 'inboxes') {
		const inbox = inboxOf(event);
		if (inbox && !settings.inboxIds.includes(inbox)) return undefined;
	}
	const sender = senderOf(event);
	if (sender && settings.ignoreSenders.has(sender)) return undefined;
	if (!firstTime(staticData, scope, RECENT_EVENT_IDS, event.event_id)) return undefined;
	return toItem(event);
}
