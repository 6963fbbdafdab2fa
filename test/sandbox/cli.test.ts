/** The CLI: flags and environment, the start banner, clean stop on SIGTERM with the data file flushed. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { parseCliArgs } from '../../sandbox/cliArgs';

describe('parseCliArgs', () => {
	it('defaults to 127.0.0.1:8026, the local key and agent@agentmail.to, in memory', () => {
		expect(parseCliArgs([])).toEqual({
			port: 8026,
			host: '127.0.0.1',
			dataFile: undefined,
			apiKey: 'am_sandbox_local_key',
			restrictedKeys: [],
			seedInbox: 'agent@agentmail.to',
			help: false,
		});
	});

	it('reads SANDBOX_* variables, and flags win over them', () => {
		const env = { SANDBOX_PORT: '9000', SANDBOX_DATA: 'env.json', SANDBOX_API_KEY: 'am_env' };
		expect(parseCliArgs([], env)).toMatchObject({ port: 9000, dataFile: 'env.json', apiKey: 'am_env' });
		expect(parseCliArgs(['--port', '9100', '--data=flag.json', '--api-key', 'am_flag', '--host', '0.0.0.0'], env)).toMatchObject({
			port: 9100,
			host: '0.0.0.0',
			dataFile: 'flag.json',
			apiKey: 'am_flag',
		});
	});

	it('--key KEY=PERMS adds keys with only those permissions (an empty list: none)', () => {
		expect(parseCliArgs(['--key', 'am_agent=draft_read, draft_create', '--key=am_none=']).restrictedKeys).toEqual([
			{ apiKey: 'am_agent', permissions: ['draft_read', 'draft_create'] },
			{ apiKey: 'am_none', permissions: [] },
		]);
		expect(() => parseCliArgs(['--key', 'am_agent=draft_sned'])).toThrow('--key am_agent: unknown permission "draft_sned"');
		expect(() => parseCliArgs(['--key', 'draft_read'])).toThrow('--key needs KEY=PERMISSIONS');
	});

	it('rejects unknown flags, missing values and bad ports', () => {
		expect(() => parseCliArgs(['--nope'])).toThrow('Unknown option --nope');
		expect(() => parseCliArgs(['--port'])).toThrow('--port needs a value');
		expect(() => parseCliArgs(['--port', '70000'])).toThrow('Invalid port');
		expect(() => parseCliArgs([], { SANDBOX_PORT: 'abc' })).toThrow('Invalid port');
	});
});

describe('CLI process', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'agentmail-sandbox-cli-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('prints URL, key and seeded inbox, serves the API, and flushes --data on SIGTERM', async () => {
		const dataFile = join(dir, 'demo.json');
		const child = spawn(process.execPath, [join(__dirname, 'run-cli.js'), '--port', '0', '--data', dataFile, '--api-key', 'am_cli_key', '--key', 'am_cli_reader=inbox_read'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`CLI did not start:\n${output}`)), 15_000);
				child.stdout.on('data', () => {
					if (output.includes('Press Ctrl+C')) {
						clearTimeout(timer);
						resolve();
					}
				});
				child.on('exit', () => reject(new Error(`CLI exited early:\n${output}`)));
			});
			const url = /Base URL:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
			expect(url).toBeDefined();
			expect(output).toMatch(/API key:\s+am_cli_key/);
			expect(output).toMatch(/Seeded inbox:\s+agent@agentmail\.to/);
			expect(output).toContain(dataFile);
			const created = await axios.post(`${url}/v0/inboxes`, { username: 'from-cli' }, { headers: { Authorization: 'Bearer am_cli_key' } });
			expect(created.data.inbox_id).toBe('from-cli@agentmail.to');
			expect(output).toMatch(/API key:\s+am_cli_reader\s+\(only inbox_read\)/);
			const reader = { headers: { Authorization: 'Bearer am_cli_reader' }, validateStatus: () => true };
			expect((await axios.get(`${url}/v0/inboxes`, reader)).status).toBe(200);
			const refused = await axios.post(`${url}/v0/inboxes`, { username: 'not-allowed' }, reader);
			expect([refused.status, refused.data.code]).toEqual([403, 'missing_permission']);
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
			expect(output).toContain('SIGTERM: stopping the sandbox');
			const saved = JSON.parse(readFileSync(dataFile, 'utf8'));
			expect(saved.inboxes.map((i: { inbox_id: string }) => i.inbox_id)).toEqual(['agent@agentmail.to', 'from-cli@agentmail.to']);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});
});
