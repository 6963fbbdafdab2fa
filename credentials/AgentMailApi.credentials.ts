import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * AgentMail API key plus where the API lives. The base URL is derived from the
 * region so that the EU region and a local sandbox are one dropdown away.
 */
export class AgentMailApi implements ICredentialType {
	name = 'agentMailApi';

	displayName = 'AgentMail API';

	icon: Icon = { light: 'file:../icons/agentmail.svg', dark: 'file:../icons/agentmail.dark.svg' };

	documentationUrl = 'https://docs.agentmail.to/api-reference';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An AgentMail API key (starts with am_). For the local sandbox use the key it prints at start-up.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'US (api.agentmail.to)', value: 'us' },
				{ name: 'EU (api.agentmail.eu)', value: 'eu' },
				{ name: 'Custom URL (e.g. Local Sandbox)', value: 'custom' },
			],
			default: 'us',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://127.0.0.1:8026',
			placeholder: 'http://127.0.0.1:8026',
			description: 'Root of the AgentMail API, without /v0',
			displayOptions: { show: { region: ['custom'] } },
		},
	];

	/**
	 * A function rather than a generic `={{"Bearer " + $credentials.apiKey}}`:
	 * n8n evaluates a generic one in its expression sandbox on every request.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` };
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.region === "eu" ? "https://api.agentmail.eu" : $credentials.region === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v0$/, "") : "https://api.agentmail.to"}}',
			url: '/v0/inboxes',
			qs: { limit: 1 },
		},
	};
}
