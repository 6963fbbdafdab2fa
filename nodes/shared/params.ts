import type { IExecuteFunctions } from 'n8n-workflow';

import { validId, type ValidId } from './transport';

/** The inbox chosen in the Inbox locator (its email address), validated for use in a path. */
export function inboxId(ctx: IExecuteFunctions, itemIndex: number, parameter = 'inboxId'): ValidId {
	const value = ctx.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	return validId(ctx.getNode(), 'Inbox', value, itemIndex);
}

/** The draft chosen in the Draft locator, validated for use in a path. */
export function draftId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	const value = ctx.getNodeParameter('draftId', itemIndex, '', { extractValue: true });
	return validId(ctx.getNode(), 'Draft', value, itemIndex);
}

/** The message named in Message ID, validated for use in a path. */
export function messageId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	return validId(ctx.getNode(), 'Message ID', ctx.getNodeParameter('messageId', itemIndex), itemIndex);
}

/** The thread chosen in the Thread locator, validated for use in a path. */
export function threadId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	const value = ctx.getNodeParameter('threadId', itemIndex, '', { extractValue: true });
	return validId(ctx.getNode(), 'Thread', value, itemIndex);
}
