/**
 * The "AgentMail API" credential of the installed package, created through
 * n8n's public API the way the helpers do it, and tested by n8n against the
 * local AgentMail sandbox (the credential type's own `test` request).
 * Needs the real package (not with E2E_SKIP_MAIN_PACKAGE=1).
 */
import { AGENTMAIL_CREDENTIAL_TYPE, agentMailSandbox, createAgentMailCredential } from './helpers/agentmail';
import { N8nApi } from './helpers/n8nApi';

describe('AgentMail API credential in a real n8n', () => {
	const api = N8nApi.fromE2eState();
	const created: string[] = [];

	afterAll(async () => {
		for (const id of created) await api.deleteCredential(id).catch(() => undefined);
	});

	it('has the fields apiKey, region (us, eu, custom) and baseUrl in the public API schema', async () => {
		const schema = (await api.getCredentialSchema(AGENTMAIL_CREDENTIAL_TYPE)) as {
			properties: Record<string, { type: string; enum?: string[] }>;
			required: string[];
		};
		expect(schema.properties.apiKey).toEqual({ type: 'string' });
		expect(schema.properties.region).toEqual({ type: 'string', enum: ['us', 'eu', 'custom'] });
		expect(schema.properties.baseUrl).toEqual({ type: 'string' });
		expect(schema.required).toEqual(['apiKey']);
	});

	it('connects to the sandbox with the sandbox key', async () => {
		const credential = await createAgentMailCredential(api);
		created.push(credential.id);
		expect(credential.type).toBe(AGENTMAIL_CREDENTIAL_TYPE);
		await expect(api.testCredential(credential.id)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it('reports a wrong key as a failed test', async () => {
		const credential = await createAgentMailCredential(api, {
			apiKey: 'am_wrong_key',
			baseUrl: agentMailSandbox().url,
		});
		created.push(credential.id);
		const result = await api.testCredential(credential.id);
		expect(result.status).toBe('Error');
	});
});
