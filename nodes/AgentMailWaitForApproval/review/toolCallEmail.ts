import type { IDataObject, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

import { DEFAULT_OPERATION, DEFAULT_RESOURCE } from '../../shared/operationDefaults';
import type { EmailPreview } from './toolCallTypes';

/**
 * The AgentMail node connected as the gated tool (n8n names its tool variant
 * `<package>.agentMailTool`), whatever package prefix n8n gives it.
 */
export function isAgentMailTool(nodeType: string): boolean {
	return /(^|\.)agentMail(Tool)?$/.test(nodeType);
}

/**
 * The operations that compose an email from the tool's parameters. (Update
 * Draft changes only some fields of a draft, and Send Draft sends one as it
 * is stored: neither says on its own what would go out.)
 */
const EMAIL_OPERATIONS: Record<string, string> = {
	'message:send': 'Message: Send',
	'message:reply': 'Message: Reply',
	'draft:create': 'Draft: Create',
};

/** `$fromAI('key', …)` calls in an expression; n8n fills each from the agent's input of that key. */
const FROM_AI = /\$fromAI\(\s*(['"`])([^'"`]+)\1[^)]*\)/g;

type Resolved = { value: unknown; later: boolean };

/**
 * A tool node parameter as it will be when the tool runs with the agent's
 * input: plain values as they are, `{{ $fromAI('x') }}` as the agent's `x`.
 * Any other expression is only known when the tool runs (later = true).
 */
export function resolveToolValue(raw: NodeParameterValueType | undefined, input: IDataObject): Resolved {
	if (raw && typeof raw === 'object' && !Array.isArray(raw) && '__rl' in raw) {
		return resolveToolValue((raw as IDataObject).value as NodeParameterValueType, input);
	}
	if (typeof raw !== 'string' || !raw.startsWith('=')) return { value: raw ?? '', later: false };
	const expression = raw.slice(1);
	const whole = /^\s*\{\{\s*(\$fromAI\([^}]*\))\s*\}\}\s*$/.exec(expression);
	if (whole) {
		FROM_AI.lastIndex = 0;
		const call = FROM_AI.exec(whole[1]);
		if (call) return { value: input[call[2]] ?? '', later: false };
	}
	let later = false;
	const value = expression.replace(/\{\{([\s\S]*?)\}\}/g, (block, inner: string) => {
		FROM_AI.lastIndex = 0;
		const call = FROM_AI.exec(inner);
		if (call && inner.trim() === call[0]) return String(input[call[2]] ?? '');
		later = true;
		return block;
	});
	return { value, later };
}

function addresses(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).filter(Boolean);
	return String(value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

/**
 * What the gated AgentMail tool would send, from its saved parameters and the
 * agent's input; null for operations that do not compose an email.
 */
export function emailPreview(parameters: INodeParameters, input: IDataObject): EmailPreview | null {
	const resource = String(parameters.resource ?? DEFAULT_RESOURCE);
	const operation = String(parameters.operation ?? DEFAULT_OPERATION[resource] ?? '');
	const label = EMAIL_OPERATIONS[`${resource}:${operation}`];
	if (!label) return null;
	const additional = (parameters.additionalFields ?? {}) as INodeParameters;
	const computedLater: string[] = [];
	const field = (name: string, raw: NodeParameterValueType | undefined): unknown => {
		const { value, later } = resolveToolValue(raw, input);
		if (later) computedLater.push(name);
		return value;
	};
	return {
		operation: label,
		from: String(field('From', parameters.inboxId)),
		to: addresses(field('To', parameters.to)),
		cc: addresses(field('Cc', additional.cc)),
		bcc: addresses(field('Bcc', additional.bcc)),
		subject: String(field('Subject', parameters.subject)),
		text: String(field('Text', parameters.text)),
		html: String(field('HTML', (additional.html ?? parameters.html) as NodeParameterValueType)),
		inReplyTo: operation === 'reply' ? String(field('Message', parameters.messageId)) : '',
		computedLater,
	};
}
