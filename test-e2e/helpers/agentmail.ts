/**
 * The AgentMail side of the e2e suite: the local sandbox globalSetup started
 * and the "AgentMail API" credential pointing n8n at it.
 */
import { createAgentMailCredential as createCredential } from '../../scripts/lib/agentmail';
import { e2eState, uniqueSuffix } from './env';
import type { Credential, N8nApi } from './n8nApi';

export { AGENTMAIL_CREDENTIAL_TYPE } from '../../scripts/lib/agentmail';

export interface SandboxInfo {
	url: string;
	port: number;
	apiKey: string;
	inboxId: string;
}

/** The running AgentMail sandbox; throws when globalSetup could not start one. */
export function agentMailSandbox(): SandboxInfo {
	const { sandbox } = e2eState();
	if (!sandbox) {
		throw new Error('the AgentMail sandbox is not running: globalSetup found no sandbox/index.ts (see its log)');
	}
	return sandbox;
}

/**
 * Create an "AgentMail API" credential through the public API, by default
 * pointing at the sandbox (region "custom"). Returns {id, name, ...}; use as
 * `credentials: { agentMailApi: { id, name } }` on a node.
 */
export async function createAgentMailCredential(
	api: N8nApi,
	options: { name?: string; apiKey?: string; baseUrl?: string } = {},
): Promise<Credential> {
	const sandbox = options.apiKey && options.baseUrl ? undefined : agentMailSandbox();
	return await createCredential(api, {
		name: options.name ?? `AgentMail e2e ${uniqueSuffix()}`,
		apiKey: options.apiKey ?? sandbox!.apiKey,
		baseUrl: options.baseUrl ?? sandbox!.url,
	});
}
