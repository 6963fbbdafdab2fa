/**
 * The AgentMail node's Resource and Operation defaults. n8n saves a node's
 * parameters without their defaults, so Wait for Approval, reading the saved
 * parameters of the AgentMail tool it gates, needs them. (n8n's lint wants
 * literal defaults in the node's description; a test keeps the two equal.)
 */
export const DEFAULT_RESOURCE = 'draft';

export const DEFAULT_OPERATION: Record<string, string> = {
	allowlist: 'add',
	draft: 'create',
	inbox: 'get',
	message: 'send',
	thread: 'get',
};
