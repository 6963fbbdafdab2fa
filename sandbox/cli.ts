/**
 * `npm run sandbox` (compiled to .build/sandbox/cli.js): starts the sandbox,
 * prints how to reach it, and stops cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { parseCliArgs, USAGE } from './cliArgs';
import { DEFAULT_HOST } from './config';
import { startSandbox } from './index';

async function main(): Promise<void> {
	let options;
	try {
		options = parseCliArgs(process.argv.slice(2), process.env);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	if (options.help) {
		process.stdout.write(USAGE);
		return;
	}
	const dataFile = options.dataFile ? resolve(options.dataFile) : undefined;
	const sandbox = await startSandbox({
		port: options.port,
		host: options.host,
		dataFile,
		apiKey: options.apiKey,
		restrictedKeys: options.restrictedKeys,
		seedInbox: options.seedInbox,
	});
	const lines = [
		'',
		'AgentMail sandbox is running',
		`  Base URL:     ${sandbox.url}    (API paths start with /v0)`,
		`  API key:      ${sandbox.apiKey}    (every permission)`,
		...options.restrictedKeys.map((k) => `  API key:      ${k.apiKey}    (only ${k.permissions.join(', ') || 'no permission'})`),
		`  Seeded inbox: ${sandbox.inboxId}`,
		`  Data:         ${dataFile ?? 'in memory (use --data FILE to keep it across restarts)'}`,
		`  Inspect:      ${sandbox.url}/_sandbox/outbox  /_sandbox/requests  /_sandbox/faults`,
		'',
		'SDK: new AgentMailClient({ apiKey: "' + sandbox.apiKey + '", baseUrl: "' + sandbox.url + '" })',
		'Press Ctrl+C to stop.',
		'',
	];
	if (options.host !== DEFAULT_HOST && options.host !== 'localhost') {
		lines.push(`Warning: listening on ${options.host}; /_sandbox still answers loopback clients only.`, '');
	}
	process.stdout.write(lines.join('\n'));
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping the sandbox${dataFile ? `, state saved to ${dataFile}` : ''}\n`);
		sandbox.close().then(
			() => process.exit(0),
			(error) => {
				process.stderr.write(`${String(error)}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	process.stderr.write(`Could not start the sandbox: ${(error as Error).message}\n`);
	process.exit(1);
});
