import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { clientIdValue } from '../../../shared/helpers/clientId';
import { parseSendAt } from '../../../shared/helpers/sendAt';
import { idempotencyKey } from '../../../shared/transport';

/** Client ID of the draft creates (Create, Create Reply / Reply-All / Forward Draft). */
export const clientIdField: INodeProperties = {
	displayName: 'Client ID',
	name: 'clientId',
	type: 'string',
	default: '',
	placeholder: 'order-1234-reply',
	description:
		'Creating again with the same client ID returns the first draft instead of a new one. Left empty, one is derived per execution, node and item, so retries never create a second draft. Letters, digits and - . _ ~ only.',
};

export const sendAtField: INodeProperties = {
	displayName: 'Send At',
	name: 'sendAt',
	type: 'dateTime',
	default: '',
	description:
		'Schedule the draft: AgentMail sends it at this time (ISO 8601 or pick a date) unless it is changed or deleted first',
};

/**
 * `send_at` and `client_id` of a draft create. Without an explicit Client ID,
 * one derived per execution, node, run and item (like the Idempotency-Key of
 * sends; [A-Za-z0-9-], within AgentMail's client_id charset): a retry after a
 * 5xx or a dropped connection, by the transport or by n8n's Retry On Fail,
 * then returns the draft the first attempt created instead of a second one.
 */
export function createOptions(
	ctx: IExecuteFunctions,
	node: INode,
	itemIndex: number,
	fields: IDataObject,
	purpose: string,
): { send_at?: string; client_id: string } {
	const out: { send_at?: string; client_id: string } = {
		client_id: clientIdValue(node, fields.clientId, itemIndex) || idempotencyKey(ctx, itemIndex, purpose),
	};
	if (fields.sendAt) out.send_at = parseSendAt(node, 'Send At', fields.sendAt, itemIndex, ctx.getTimezone());
	return out;
}

/** What every draft create outputs. */
export const draftOutput = (draft: IDataObject): IDataObject => ({
	draft_id: draft.draft_id,
	send_status: draft.send_status ?? '',
	result: draft,
});
