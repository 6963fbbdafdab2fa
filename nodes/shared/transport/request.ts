import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type ITriggerFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { agentMailApiError } from './errors';
import { MAX_ATTEMPTS, isRetryableStatus, isSafeToRepeat, retryDelayMs } from './retry';
import { CREDENTIAL_TYPE, sessionOf } from './session';
import { waitForItemSlot } from './itemSlots';

export { CREDENTIAL_TYPE };

export type AgentMailContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IWebhookFunctions
	| IHookFunctions
	| ITriggerFunctions;

export interface AgentMailRequest {
	method: IHttpRequestMethods;
	/** Built with apiPath()/pathSegment(): ids already validated and encoded. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Sent as the Idempotency-Key header; makes a send safe to retry. */
	idempotencyKey?: string;
	/** The request is deduplicated by other means (a create with client_id). */
	idempotent?: boolean;
	/** Item the request is made for, so errors point at it. */
	itemIndex?: number;
	/**
	 * Epoch milliseconds after which no attempt starts and no answer is awaited
	 * (the approval's decision lease): the request then fails as a timeout.
	 */
	deadline?: number;
	/**
	 * Names one intended change (execution, node, run, item; see
	 * idempotencyKey()). An attempt that ended in a 5xx or a dropped
	 * connection may have done the work; it is remembered under this key, so
	 * that a later attempt (the transport's retry or n8n's Retry On Fail)
	 * can tell "already done" from a real failure (see isAlreadyDone()).
	 */
	outcomeKey?: string;
}

/** Keys of changes whose last attempt ended without a clear answer; bounded, oldest dropped first. */
const uncertainOutcomes = new Set<string>();
const MAX_UNCERTAIN = 1000;

function rememberUncertain(key: string | undefined): void {
	if (!key) return;
	uncertainOutcomes.delete(key);
	uncertainOutcomes.add(key);
	if (uncertainOutcomes.size > MAX_UNCERTAIN) {
		uncertainOutcomes.delete(uncertainOutcomes.values().next().value as string);
	}
}

/**
 * True when `error` is AgentMail's answer `status` (and `code`, if given) to
 * a retry whose earlier attempt failed with a 5xx or a dropped connection,
 * so that the earlier attempt may have done the work (a delete answered 404,
 * an add answered 409 already_exists). Never true on a first attempt.
 */
export function isAlreadyDone(error: unknown, status: number, code?: string): boolean {
	const api = (error as { context?: { agentMail?: { status?: number; code?: string; afterUncertainAttempt?: boolean } } })
		?.context?.agentMail;
	return Boolean(api?.afterUncertainAttempt) && api?.status === status && (code === undefined || api?.code === code);
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * Query values go out the way AgentMail's TypeScript SDK sends them: arrays
 * (the labels filter) as one JSON-encoded parameter, empty values dropped.
 */
function encodeQuery(qs: IDataObject | undefined): IDataObject | undefined {
	if (!qs) return undefined;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) {
			if (value.length) out[key] = JSON.stringify(value);
		} else {
			out[key] = value;
		}
	}
	return out;
}

function headerValue(headers: Record<string, unknown>, name: string): unknown {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/**
 * A failure without an HTTP answer (refused, reset, timed out). It is rebuilt
 * from the message and code only, so the request configuration with its
 * Authorization header never travels with the error.
 */
function transportError(ctx: AgentMailContext, error: unknown, itemIndex?: number): NodeApiError {
	const err = error as { message?: string; code?: string; cause?: { code?: string } };
	const code = err?.code ?? err?.cause?.code;
	const reason = err?.message ?? String(error);
	const failure = new NodeApiError(ctx.getNode(), { message: reason, code } as JsonObject, {
		message: `Could not reach AgentMail: ${reason}`,
		description: 'Check the Region / Base URL of the AgentMail credential and the network.',
		itemIndex,
	});
	failure.context.agentMail = { code: code ?? 'network_error', message: reason };
	return failure;
}

function deadlineError(): Error {
	return Object.assign(new Error('the time allowed for this request ran out'), { code: 'ETIMEDOUT' });
}

/** A retry after `delay` would start after the request's deadline. */
function pastDeadline(request: AgentMailRequest, delay: number): boolean {
	return request.deadline !== undefined && Date.now() + delay >= request.deadline;
}

/**
 * One call to the AgentMail API through n8n's credential-aware HTTP helper (so
 * proxies, credentials and logging behave as in every other n8n node), with
 * the credential of the context's session: read once per node execution or
 * webhook call, not per request.
 *
 * Retries, only when repeating the request cannot send or create anything
 * twice: 429s until the session's retry budget is spent, holding back every
 * request of the session until Retry-After, then pacing them at the rate
 * the key was measured to allow (see RateLimit); 408, 5xx and
 * dropped connections up to MAX_ATTEMPTS
 * times. With a `deadline`, no attempt starts and no wait ends after it.
 */
export async function agentMailRequest<T = IDataObject>(
	ctx: AgentMailContext,
	request: AgentMailRequest,
): Promise<T> {
	await waitForItemSlot(ctx, request.itemIndex);
	const session = await sessionOf(ctx);
	const headers: IDataObject = { Accept: 'application/json' };
	if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: session.baseUrl,
		url: request.path,
		qs: encodeQuery(request.qs),
		headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body !== undefined) options.body = request.body;
	const credentialOptions = { credentialsDecrypted: session.credentials };
	const repeatable = isSafeToRepeat(
		request.method,
		Boolean(request.idempotencyKey) || Boolean(request.idempotent),
	);
	const budgetEnd = Date.now() + session.retryBudgetMs;
	let failures = 0;
	let limited = 0;
	const key = request.outcomeKey;
	// an earlier run of this node (n8n's Retry On Fail) may have done the work
	let uncertain = key !== undefined && uncertainOutcomes.has(key);

	for (;;) {
		// A request of this session was told to wait (this one, or another): so is this one.
		const window = await session.limit.acquire(limited, (wait) => pastDeadline(request, wait));
		if (window === undefined) throw transportError(ctx, deadlineError(), request.itemIndex);
		if (request.deadline !== undefined) {
			const left = request.deadline - Date.now();
			if (left <= 0) throw transportError(ctx, deadlineError(), request.itemIndex);
			options.timeout = left;
		}
		let response: FullResponse;
		const sentAt = Date.now();
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				options,
				credentialOptions,
			)) as FullResponse;
		} catch (error) {
			rememberUncertain(key);
			const delay = retryDelayMs(failures++, undefined);
			if (!repeatable || failures >= MAX_ATTEMPTS || pastDeadline(request, delay)) {
				throw transportError(ctx, error, request.itemIndex);
			}
			uncertain = true;
			await sleep(delay);
			continue;
		}
		const { statusCode, body } = response;
		if (statusCode >= 200 && statusCode < 300) {
			session.limit.succeeded(window);
			if (key) uncertainOutcomes.delete(key);
			return (body === '' || body === undefined ? {} : body) as T;
		}
		if (statusCode >= 500 || statusCode === 408) rememberUncertain(key);
		const retryAfter = headerValue(response.headers ?? {}, 'retry-after');
		let delay: number;
		let giveUp: boolean;
		if (statusCode === 429) {
			// The wait itself (exact for the first waiter, jittered for the others) is acquire()'s.
			delay = session.limit.limited(sentAt, retryDelayMs(limited++, retryAfter));
			giveUp = Date.now() + delay > budgetEnd;
		} else {
			delay = retryDelayMs(failures++, retryAfter);
			giveUp = failures >= MAX_ATTEMPTS || !isRetryableStatus(statusCode);
		}
		if (giveUp || !repeatable || pastDeadline(request, delay)) {
			const failure = agentMailApiError(ctx.getNode(), statusCode, body, request.itemIndex);
			if (uncertain) (failure.context.agentMail as IDataObject).afterUncertainAttempt = true;
			if (key && !isRetryableStatus(statusCode)) uncertainOutcomes.delete(key);
			throw failure;
		}
		if (statusCode >= 500 || statusCode === 408) uncertain = true;
		if (statusCode !== 429) await sleep(delay);
	}
}
