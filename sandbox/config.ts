/** Defaults shared by the CLI and the programmatic API. */

export const DEFAULT_PORT = 8026;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_API_KEY = 'am_sandbox_local_key';
export const DEFAULT_SEED_INBOX = 'agent@agentmail.to';
export const DEFAULT_SEED_DISPLAY_NAME = 'Sandbox Agent';
