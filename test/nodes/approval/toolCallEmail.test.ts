/**
 * How the tool-call review reads the gated AgentMail tool's saved parameters
 * (n8n saves them without defaults) together with the agent's input.
 */
import { emailPreview, isAgentMailTool, resolveToolValue } from '../../../nodes/AgentMailWaitForApproval/review/toolCallEmail';

const input = { to: 'jane@example.com', subject: 'Hi <Jane>', name: 'Jane', body: 'Text from the agent' };

describe('tool-call review: the email a gated AgentMail tool would send', () => {
	it('fills $fromAI() from the agent\'s input, keeps fixed values, marks other expressions', () => {
		expect(resolveToolValue("={{ $fromAI('to', 'Recipient', 'string') }}", input)).toEqual({ value: 'jane@example.com', later: false });
		expect(resolveToolValue('={{ $fromAI("subject") }}', input)).toEqual({ value: 'Hi <Jane>', later: false });
		expect(resolveToolValue("=Dear {{ $fromAI('name') }}, thanks", input)).toEqual({ value: 'Dear Jane, thanks', later: false });
		expect(resolveToolValue('=Dear {{ $json.name }}', input)).toEqual({ value: 'Dear {{ $json.name }}', later: true });
		expect(resolveToolValue('plain@example.com', input)).toEqual({ value: 'plain@example.com', later: false });
		expect(resolveToolValue({ __rl: true, mode: 'id', value: 'agent@agentmail.to' }, input)).toEqual({ value: 'agent@agentmail.to', later: false });
		expect(resolveToolValue("={{ $fromAI('missing') }}", input)).toEqual({ value: '', later: false });
	});

	it('a tool saved without resource and operation is AgentMail\'s default, Draft: Create', () => {
		const preview = emailPreview(
			{ inboxId: { __rl: true, mode: 'id', value: 'agent@agentmail.to' }, to: "={{ $fromAI('to') }}", text: "={{ $fromAI('body') }}", additionalFields: { bcc: 'a@example.com, b@example.com' } },
			input,
		);
		expect(preview).toMatchObject({
			operation: 'Draft: Create',
			from: 'agent@agentmail.to',
			to: ['jane@example.com'],
			bcc: ['a@example.com', 'b@example.com'],
			text: 'Text from the agent',
			computedLater: [],
		});
	});

	it('Reply names the message answered; operations that compose no email have no preview', () => {
		const reply = emailPreview({ resource: 'message', operation: 'reply', messageId: "={{ $fromAI('message') }}", text: 'Thanks!' }, { message: '<m1@x>' });
		expect(reply).toMatchObject({ operation: 'Message: Reply', inReplyTo: '<m1@x>', to: [], text: 'Thanks!' });
		expect(emailPreview({ resource: 'message', operation: 'list' }, input)).toBeNull();
		expect(emailPreview({ resource: 'allowlist' }, input)).toBeNull();
		expect(emailPreview({ resource: 'draft', operation: 'send' }, input)).toBeNull();
		expect(emailPreview({ resource: 'draft', operation: 'update' }, input)).toBeNull();
	});

	it('recognises the AgentMail node and its tool variant under any package prefix only', () => {
		expect(isAgentMailTool('n8n-nodes-agentmail-hitl.agentMailTool')).toBe(true);
		expect(isAgentMailTool('@acme/n8n-nodes-agentmail-hitl.agentMail')).toBe(true);
		expect(isAgentMailTool('n8n-nodes-base.gmailTool')).toBe(false);
		expect(isAgentMailTool('n8n-nodes-agentmail-hitl.agentMailTriggerTool')).toBe(false);
	});
});
