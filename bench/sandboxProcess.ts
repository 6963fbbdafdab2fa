/**
 * The AgentMail sandbox in a child process of the benchmark, so that its work
 * (storing mail, signing and sending deliveries) never runs on the event loop
 * whose latency is measured. Reports `{ url, apiKey }` over IPC once listening.
 */
import { startSandbox } from '../sandbox';

void startSandbox({ port: 0, host: '127.0.0.1', apiKey: 'am_bench_sandbox_key', logError: () => undefined }).then(
	(sandbox) => process.send?.({ url: sandbox.url, apiKey: sandbox.apiKey }),
	(error: Error) => {
		console.error(error);
		process.exit(1);
	},
);
