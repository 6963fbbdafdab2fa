/** The "AgentMail API" credential in n8n, pointing at an AgentMail (e.g. the local sandbox). */
import type { Credential, N8nApi } from './n8nApi';

export const AGENTMAIL_CREDENTIAL_TYPE = 'agentMailApi';

/**
 * Create an "AgentMail API" credential through the public API with Region
 * "custom" and `baseUrl`. Returns {id, name, ...}; use as
 * `credentials: { agentMailApi: { id, name } }` on a node.
 */
export async function createAgentMailCredential(
	api: N8nApi,
	options: { name: string; apiKey: string; baseUrl: string },
): Promise<Credential> {
	return await api.createCredential({
		name: options.name,
		type: AGENTMAIL_CREDENTIAL_TYPE,
		data: { apiKey: options.apiKey, region: 'custom', baseUrl: options.baseUrl },
	});
}
