import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const REGION_BASE_URLS: Record<string, string> = {
	us: 'https://api.agentmail.to',
	eu: 'https://api.agentmail.eu',
};

/** Root of the AgentMail API for a stored `agentMailApi` credential, without a trailing slash. */
export function baseUrlFromCredentials(credentials: ICredentialDataDecryptedObject): string {
	const region = String(credentials.region ?? 'us');
	if (region === 'custom') {
		const custom = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
		if (!/^https?:\/\/[^/\s]+/i.test(custom)) {
			throw new Error('The AgentMail credential has Region "Custom" but no valid Base URL');
		}
		return custom.replace(/\/v0$/, '');
	}
	return REGION_BASE_URLS[region] ?? REGION_BASE_URLS.us;
}
