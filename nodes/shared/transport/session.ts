import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { baseUrlFromCredentials } from './baseUrl';
import { RateLimit } from './rateLimit';

export const CREDENTIAL_TYPE = 'agentMailApi';

/** How long 429s are retried, from a request's first attempt, unless the node says otherwise. */
export const DEFAULT_RETRY_BUDGET_MS = 120_000;

/**
 * What every AgentMail request of one node execution (or one webhook call)
 * shares: the credential, read once and handed to n8n's request helper on
 * every request, retry and page, the base URL derived from it once, and one
 * rate-limit state, so that after a 429 all of the node's concurrent
 * requests hold back instead of each running into the limit on its own.
 */
export interface AgentMailSession {
	credentials: ICredentialsDecrypted;
	baseUrl: string;
	/** The 429 pause and the pace learned from it, shared by the session's requests. */
	limit: RateLimit;
	/** How long a request keeps retrying 429s, from its first attempt. */
	retryBudgetMs: number;
}

export interface SessionOptions {
	retryBudgetMs?: number;
}

/** The n8n context a request is made from: the execute, load-options or webhook `this`. */
interface CredentialSource {
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T>;
}

/**
 * Keyed by n8n's context object, which n8n creates per node execution and per
 * webhook call: so every request made through the same `this` shares one
 * session, however deep in the operation it is made, and nothing outlives it.
 */
const sessions = new WeakMap<object, Promise<AgentMailSession>>();
const pendingOptions = new WeakMap<object, SessionOptions>();

async function open(ctx: CredentialSource, options: SessionOptions): Promise<AgentMailSession> {
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	return {
		credentials: { id: '', name: CREDENTIAL_TYPE, type: CREDENTIAL_TYPE, data },
		baseUrl: baseUrlFromCredentials(data),
		limit: new RateLimit(),
		retryBudgetMs: options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
	};
}

/**
 * Sets the options of the session `ctx` will use. The credential is still
 * read only when (and if) the first request is made, so a run that makes no
 * request reads nothing, and a missing credential fails the item that needed it.
 */
export function configureSession(ctx: object, options: SessionOptions): void {
	pendingOptions.set(ctx, options);
}

/** The session of this context: created (the credential read) on the first call, shared after. */
export function sessionOf(ctx: CredentialSource): Promise<AgentMailSession> {
	let session = sessions.get(ctx);
	if (!session) {
		session = open(ctx, pendingOptions.get(ctx) ?? {});
		sessions.set(ctx, session);
	}
	return session;
}
