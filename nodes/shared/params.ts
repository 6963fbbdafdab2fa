import type { IExecuteFunctions } from 'n8n-workflow';

import { nodeOf } from './helpers/node';
import { validId, type ValidId } from './transport';

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** Per execution: the ids of locators set without an expression, the same for every item. */
const fixedIds = new WeakMap<IExecuteFunctions, Map<string, ValidId>>();

/**
 * The id chosen in a resource locator, validated for use in a path. A locator
 * holding no expression names the same id for every item, so it is read and
 * validated once per execution; with an expression, per item. An invalid
 * value fails every item that uses it, each with its own item index.
 */
function locatorId(ctx: IExecuteFunctions, itemIndex: number, parameter: string, field: string): ValidId {
	const raw = nodeOf(ctx).parameters[parameter];
	const fixed = raw !== undefined && !isExpression(raw) && !isExpression((raw as { value?: unknown })?.value);
	const known = fixed ? fixedIds.get(ctx)?.get(parameter) : undefined;
	if (known !== undefined) return known;
	const id = validId(nodeOf(ctx), field, ctx.getNodeParameter(parameter, itemIndex, '', { extractValue: true }), itemIndex);
	if (fixed) {
		let ids = fixedIds.get(ctx);
		if (!ids) fixedIds.set(ctx, (ids = new Map()));
		ids.set(parameter, id);
	}
	return id;
}

/** The inbox chosen in the Inbox locator (its email address), validated for use in a path. */
export function inboxId(ctx: IExecuteFunctions, itemIndex: number, parameter = 'inboxId'): ValidId {
	return locatorId(ctx, itemIndex, parameter, 'Inbox');
}

/** The draft chosen in the Draft locator, validated for use in a path. */
export function draftId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	return locatorId(ctx, itemIndex, 'draftId', 'Draft');
}

/** The message named in Message ID, validated for use in a path. */
export function messageId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	return validId(nodeOf(ctx), 'Message ID', ctx.getNodeParameter('messageId', itemIndex), itemIndex);
}

/** The thread chosen in the Thread locator, validated for use in a path. */
export function threadId(ctx: IExecuteFunctions, itemIndex: number): ValidId {
	return locatorId(ctx, itemIndex, 'threadId', 'Thread');
}
