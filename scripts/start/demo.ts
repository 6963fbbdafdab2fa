/**
 * The demo inside n8n, through the public API: two "AgentMail API"
 * credentials pointing at the sandbox, "AgentMail agent (draft only)" (a key
 * without draft_send / message_send) and "AgentMail approver (can send)"
 * (README "Keep the agent from sending"), examples/approval.json and
 * examples/draft-lifecycle.json using them (drafting nodes the agent's, Wait
 * for Approval and Send Draft the approver's), and the approval demo published.
 *
 * Re-runs reuse what an earlier run made (found by name): the credentials are
 * updated to the current sandbox URL and keys, workflows are kept as they are
 * (with your edits) and only re-pointed if they reference another credential;
 * the approval demo is published again if it was unpublished. To start over,
 * stop `npm start` and delete .n8n-run/start.
 */
import * as fs from 'fs';
import * as path from 'path';

import { AGENTMAIL_CREDENTIAL_TYPE, createAgentMailCredential } from '../lib/agentmail';
import type { N8nApi, Workflow, WorkflowInput, WorkflowNode } from '../lib/n8nApi';
import { AGENT_CREDENTIAL_NAME, APPROVER_CREDENTIAL_NAME } from '../lib/keyRoles';
import type { DemoKeys } from './sandboxProcess';
import { EXAMPLES_DIR } from './settings';

export type Role = keyof DemoKeys;
const CREDENTIAL_NAMES: Record<Role, string> = { agent: AGENT_CREDENTIAL_NAME, approver: APPROVER_CREDENTIAL_NAME };
export type Credentials = Record<Role, { id: string; name: string }>;
export const APPROVAL_WEBHOOK_PATH = 'agentmail-approval-demo';
const APPROVAL_FILE = path.join(EXAMPLES_DIR, 'approval.json');
const LIFECYCLE_FILE = path.join(EXAMPLES_DIR, 'draft-lifecycle.json');

export interface DemoWorkflow {
	id: string;
	name: string;
	active: boolean;
	/** What this run did with it. */
	action: 'imported' | 'reused' | 're-pointed to the credential';
}

export interface DemoCredential {
	id: string;
	name: string;
	action: 'created' | 'updated';
}

export interface Demo {
	credentials: Record<Role, DemoCredential>;
	approval: DemoWorkflow;
	lifecycle: DemoWorkflow;
}

async function ensureCredential(api: N8nApi, name: string, sandbox: { url: string; apiKey: string }): Promise<DemoCredential> {
	const { data } = await api.request<{ data: Array<{ id: string; name: string; type: string }> }>('GET', '/credentials', {
		query: { limit: 250 },
	});
	const existing = data.find((c) => c.name === name && c.type === AGENTMAIL_CREDENTIAL_TYPE);
	if (existing) {
		// The sandbox port or key may differ from the last run.
		await api.request('PATCH', `/credentials/${existing.id}`, {
			body: { data: { apiKey: sandbox.apiKey, region: 'custom', baseUrl: sandbox.url } },
		});
		return { id: existing.id, name: existing.name, action: 'updated' };
	}
	const created = await createAgentMailCredential(api, { name, apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	return { id: created.id, name: created.name, action: 'created' };
}

/**
 * Whose key a node uses: the role its credential reference names, else the
 * role of the example's node of that name (workflows of older runs), else
 * Wait for Approval the approver's and any other node the agent's.
 */
function roleOf(node: WorkflowNode, example: WorkflowNode[]): Role {
	const byName = (n?: WorkflowNode) =>
		(Object.keys(CREDENTIAL_NAMES) as Role[]).find((role) => CREDENTIAL_NAMES[role] === n?.credentials?.[AGENTMAIL_CREDENTIAL_TYPE]?.name);
	return byName(node) ?? byName(example.find((n) => n.name === node.name)) ?? (node.type.endsWith('.agentMailWaitForApproval') ? 'approver' : 'agent');
}

/** The nodes with every AgentMail credential reference pointing at its role's credential; null when nothing changes. */
function repointed(nodes: WorkflowNode[], example: WorkflowNode[], credentials: Credentials): WorkflowNode[] | null {
	let changed = false;
	const result = nodes.map((node) => {
		const ref = node.credentials?.[AGENTMAIL_CREDENTIAL_TYPE];
		const credential = credentials[roleOf(node, example)];
		if (!ref || ref.id === credential.id) return node;
		changed = true;
		return { ...node, credentials: { ...node.credentials, [AGENTMAIL_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } } };
	});
	return changed ? result : null;
}

/** Imports (or reuses and re-points) the example `file` with each AgentMail node on its role's credential. */
export async function ensureWorkflow(api: N8nApi, file: string, credentials: Credentials): Promise<DemoWorkflow> {
	const example = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput;
	const existing = (await api.listWorkflows({ name: example.name })).find((w) => w.name === example.name);
	if (!existing) {
		const created = await api.createWorkflow({ ...example, nodes: repointed(example.nodes, example.nodes, credentials) ?? example.nodes });
		return { id: created.id, name: created.name, active: created.active, action: 'imported' };
	}
	const nodes = repointed(existing.nodes, example.nodes, credentials);
	if (!nodes) return { id: existing.id, name: existing.name, active: existing.active, action: 'reused' };
	const { name, connections, settings } = existing;
	const updated = await api.request<Workflow>('PUT', `/workflows/${existing.id}`, { body: { name, nodes, connections, settings } });
	return { id: updated.id, name: updated.name, active: updated.active, action: 're-pointed to the credential' };
}

export async function setUpDemo(api: N8nApi, sandbox: { url: string; keys: DemoKeys }): Promise<Demo> {
	const credentials = {
		agent: await ensureCredential(api, CREDENTIAL_NAMES.agent, { url: sandbox.url, apiKey: sandbox.keys.agent }),
		approver: await ensureCredential(api, CREDENTIAL_NAMES.approver, { url: sandbox.url, apiKey: sandbox.keys.approver }),
	};
	const approval = await ensureWorkflow(api, APPROVAL_FILE, credentials);
	const lifecycle = await ensureWorkflow(api, LIFECYCLE_FILE, credentials);
	if (!approval.active || approval.action === 're-pointed to the credential') {
		await api.activateWorkflow(approval.id);
		approval.active = (await api.getWorkflow(approval.id)).active;
	}
	return { credentials, approval, lifecycle };
}
