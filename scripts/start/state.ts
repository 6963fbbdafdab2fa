/**
 * RUN_DIR/start-state.json: what the running `npm start` looks like, written
 * once it is ready and removed when it stops. Read by smoke.ts and
 * editorScreenshot.ts (and handy for your own scripts). Mode 600: it holds
 * the owner password and the API key of a local throwaway instance.
 */
import * as fs from 'fs';

export interface StartState {
	readyAfterSeconds: number;
	n8n: {
		url: string;
		pid: number;
		owner: { email: string; password: string };
		apiKey: string;
		runDir: string;
		logFile: string;
		nodeTypes: string[];
	};
	sandbox: { url: string; apiKey: string; inboxId: string; pid: number; dataFile: string; logFile: string };
	/** The agent's (draft only) and the approver's (can send) n8n credentials and their sandbox keys. */
	credentials: Record<'agent' | 'approver', { id: string; name: string; apiKey: string }>;
	workflows: {
		approval: { id: string; name: string; webhookUrl: string };
		lifecycle: { id: string; name: string };
		replyAgent: { id: string; name: string };
	};
}

export function writeState(file: string, state: StartState): void {
	fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readState(file: string): StartState {
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: is \`npm start\` running (and ready)?`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as StartState;
}
