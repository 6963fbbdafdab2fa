/** Command line and environment of `npm run sandbox` (cli.ts). */
import type { ApiKeySpec } from './apiKeys';
import { DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SEED_INBOX } from './config';
import { isPermission, type Permission } from './permissions';

export interface CliOptions {
	port: number;
	host: string;
	dataFile?: string;
	apiKey: string;
	/** `--key KEY=perm,perm`: keys with a permission set. */
	restrictedKeys: Array<Required<Pick<ApiKeySpec, 'apiKey' | 'permissions'>>>;
	seedInbox: string;
	help: boolean;
}

export const USAGE = `Usage: npm run sandbox -- [options]

Local AgentMail API sandbox (in-memory unless --data is given).

Options:
  --port N          port to listen on (default ${DEFAULT_PORT}; env SANDBOX_PORT; 0 = any free port)
  --host HOST       interface to bind (default ${DEFAULT_HOST}; env SANDBOX_HOST)
  --data FILE       persist state to FILE and reload it on start (env SANDBOX_DATA)
  --api-key KEY     API key clients must send as Bearer (default ${DEFAULT_API_KEY}; env SANDBOX_API_KEY)
                    with every permission
  --key KEY=PERMS   one more key with only the permissions listed, comma-separated
                    (e.g. --key am_agent=draft_read,draft_create,draft_update); repeatable
  --seed-inbox ADDR inbox every fresh state has (default ${DEFAULT_SEED_INBOX}; env SANDBOX_SEED_INBOX)
  --help            show this help
`;

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliOptions {
	const options: CliOptions = {
		port: DEFAULT_PORT,
		host: env.SANDBOX_HOST || DEFAULT_HOST,
		dataFile: env.SANDBOX_DATA || undefined,
		apiKey: env.SANDBOX_API_KEY || DEFAULT_API_KEY,
		restrictedKeys: [],
		seedInbox: env.SANDBOX_SEED_INBOX || DEFAULT_SEED_INBOX,
		help: false,
	};
	let port = env.SANDBOX_PORT || undefined;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
			return v;
		};
		switch (flag) {
			case '--port':
				port = value();
				break;
			case '--host':
				options.host = value();
				break;
			case '--data':
				options.dataFile = value();
				break;
			case '--api-key':
				options.apiKey = value();
				break;
			case '--key':
				options.restrictedKeys.push(parseKeyOption(value()));
				break;
			case '--seed-inbox':
				options.seedInbox = value();
				break;
			case '--help':
			case '-h':
				options.help = true;
				break;
			default:
				throw new Error(`Unknown option ${arg}`);
		}
	}
	if (port !== undefined) {
		if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`Invalid port ${JSON.stringify(port)}`);
		options.port = Number(port);
	}
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(options.seedInbox)) {
		throw new Error(`Invalid seed inbox ${JSON.stringify(options.seedInbox)}`);
	}
	return options;
}

/** `KEY=perm,perm` (an empty list is a key with no permission at all). */
function parseKeyOption(text: string): { apiKey: string; permissions: Permission[] } {
	const eq = text.indexOf('=');
	if (eq <= 0) throw new Error(`--key needs KEY=PERMISSIONS, got ${JSON.stringify(text)}`);
	const permissions = text
		.slice(eq + 1)
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean);
	const unknown = permissions.find((p) => !isPermission(p));
	if (unknown !== undefined) throw new Error(`--key ${text.slice(0, eq)}: unknown permission ${JSON.stringify(unknown)}`);
	return { apiKey: text.slice(0, eq), permissions: permissions as Permission[] };
}
