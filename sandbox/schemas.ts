/**
 * Request bodies (zod). Objects are strict: an unknown key (say `sendAt`
 * instead of `send_at`) is a 400 rather than silently ignored.
 */
import { z } from 'zod';
import { isAddress } from './addresses';
import { validationError } from './errors';
import { EVENT_TYPES } from './events/model';
import { PERMISSIONS } from './permissions';

const address = z.string().refine(isAddress, {
	message: 'Expected an address like user@domain.com or "Display Name <user@domain.com>"',
});
/** `string | string[]`, as send bodies accept. */
const addresses = z.union([address, z.array(address)]);
const label = z.string().trim().min(1, 'Labels must not be empty').max(256);
const labelOrLabels = z.union([label, z.array(label)]);
const datetime = z.string().datetime({ offset: true, message: 'Expected an ISO-8601 datetime' });
export const CLIENT_ID = /^[A-Za-z0-9\-._~]{1,256}$/;
const clientId = z
	.string()
	.regex(CLIENT_ID, 'client_id takes 1-256 characters from A-Z a-z 0-9 - . _ ~');
const base64 = z
	.string()
	.refine((value) => /^[A-Za-z0-9+/_-]*={0,2}$/.test(value.replace(/\s+/g, '')), {
		message: 'Expected base64 content',
	});
const headers = z.record(z.string(), z.string());
const metadata = z.record(z.string().max(256), z.union([z.string().max(256), z.number(), z.boolean()]));

export const sendAttachmentSchema = z
	.object({
		filename: z.string().optional(),
		content_type: z.string().optional(),
		content_disposition: z.enum(['inline', 'attachment']).optional(),
		content_id: z.string().optional(),
		content: base64.optional(),
		url: z.string().url().optional(),
	})
	.strict()
	.refine((attachment) => attachment.content !== undefined || attachment.url !== undefined, {
		message: 'An attachment needs content (base64) or url',
	});
export type SendAttachmentInput = z.infer<typeof sendAttachmentSchema>;

// Inboxes (§5)

export const createInboxSchema = z
	.object({
		username: z.string().trim().min(1).max(64).optional(),
		domain: z.string().trim().min(1).max(253).optional(),
		display_name: z.string().max(256).optional(),
		client_id: clientId.optional(),
		metadata: metadata.optional(),
	})
	.strict();
export type CreateInboxInput = z.infer<typeof createInboxSchema>;

export const updateInboxSchema = z
	.object({
		display_name: z.string().max(256).optional(),
		metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable().optional(),
	})
	.strict()
	.refine((body) => body.display_name !== undefined || body.metadata !== undefined, {
		message: 'Provide at least one of display_name or metadata',
	})
	.refine((body) => body.metadata === undefined || body.metadata === null || Object.keys(body.metadata).length > 0, {
		message: 'metadata must not be an empty object; use null to clear it',
		path: ['metadata'],
	});

// Drafts (§2.4, §2.5)

export const createDraftSchema = z
	.object({
		labels: z.array(label).optional(),
		reply_to: z.array(address).optional(),
		to: z.array(address).optional(),
		cc: z.array(address).optional(),
		bcc: z.array(address).optional(),
		subject: z.string().optional(),
		text: z.string().optional(),
		html: z.string().optional(),
		attachments: z.array(sendAttachmentSchema).optional(),
		in_reply_to: z.string().min(1).optional(),
		forward_of: z.string().min(1).optional(),
		reply_all: z.boolean().optional(),
		send_at: datetime.optional(),
		client_id: clientId.optional(),
	})
	.strict()
	.superRefine((body, ctx) => {
		if (body.in_reply_to !== undefined && body.forward_of !== undefined) {
			ctx.addIssue({ code: 'custom', path: ['forward_of'], message: 'in_reply_to and forward_of are mutually exclusive' });
		}
		if (body.reply_all && body.in_reply_to === undefined) {
			ctx.addIssue({ code: 'custom', path: ['reply_all'], message: 'reply_all needs in_reply_to' });
		}
		if (body.reply_all) {
			for (const field of ['to', 'cc', 'bcc'] as const) {
				if (body[field] !== undefined) {
					ctx.addIssue({
						code: 'custom',
						path: [field],
						message: `${field} cannot be combined with reply_all (recipients come from the thread)`,
					});
				}
			}
		}
	});
export type CreateDraftInput = z.infer<typeof createDraftSchema>;

export const updateDraftSchema = z
	.object({
		reply_to: z.array(address).nullable().optional(),
		to: z.array(address).nullable().optional(),
		cc: z.array(address).nullable().optional(),
		bcc: z.array(address).nullable().optional(),
		subject: z.string().nullable().optional(),
		text: z.string().nullable().optional(),
		html: z.string().nullable().optional(),
		add_attachments: z.array(sendAttachmentSchema).optional(),
		remove_attachments: z.array(z.string()).optional(),
		add_labels: labelOrLabels.optional(),
		remove_labels: labelOrLabels.optional(),
		send_at: datetime.nullable().optional(),
	})
	.strict();
export type UpdateDraftInput = z.infer<typeof updateDraftSchema>;

/** UpdateMessageRequest: message label updates and the draft send body. */
export const updateLabelsSchema = z
	.object({
		add_labels: labelOrLabels.optional(),
		remove_labels: labelOrLabels.optional(),
	})
	.strict();
export type UpdateLabelsInput = z.infer<typeof updateLabelsSchema>;

/** UpdateThreadRequest: arrays only (DEF `threads.yml`), unlike the message update. */
export const updateThreadSchema = z
	.object({
		add_labels: z.array(label).optional(),
		remove_labels: z.array(label).optional(),
	})
	.strict();

// Messages (§3.2)

const messageContent = {
	labels: z.array(label).optional(),
	reply_to: addresses.optional(),
	text: z.string().optional(),
	html: z.string().optional(),
	attachments: z.array(sendAttachmentSchema).optional(),
	headers: headers.optional(),
	track_opens: z.boolean().optional(),
};

export const sendMessageSchema = z
	.object({
		...messageContent,
		to: addresses.optional(),
		cc: addresses.optional(),
		bcc: addresses.optional(),
		subject: z.string().optional(),
	})
	.strict();
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

export const replySchema = z
	.object({
		...messageContent,
		to: addresses.optional(),
		cc: addresses.optional(),
		bcc: addresses.optional(),
		reply_all: z.boolean().optional(),
	})
	.strict();
export type ReplyInput = z.infer<typeof replySchema>;

export const replyAllSchema = z.object(messageContent).strict();

// Drafts from a message (AGENTMAIL_API.md §11): the reply and forward bodies plus send_at and client_id

const draftFromMessage = {
	labels: z.array(label).optional(),
	reply_to: addresses.optional(),
	text: z.string().optional(),
	html: z.string().optional(),
	attachments: z.array(sendAttachmentSchema).optional(),
	send_at: datetime.optional(),
	client_id: clientId.optional(),
};

export const draftReplySchema = z
	.object({
		...draftFromMessage,
		to: addresses.optional(),
		cc: addresses.optional(),
		bcc: addresses.optional(),
		reply_all: z.boolean().optional(),
	})
	.strict();

export const draftReplyAllSchema = z.object(draftFromMessage).strict();

export const draftForwardSchema = z
	.object({
		...draftFromMessage,
		to: addresses.optional(),
		cc: addresses.optional(),
		bcc: addresses.optional(),
		subject: z.string().optional(),
	})
	.strict();

// Lists (§4)

export const createListEntrySchema = z
	.object({
		entry: z.string().trim().min(1, 'entry is required'),
		reason: z.string().max(1024).optional(),
	})
	.strict();

// Sandbox admin endpoints (routes/admin.ts)

/** A fault's `path` of the form `/source/flags` is a regular expression. */
export const FAULT_PATH_REGEX = /^\/(.+)\/([dgimsuy]*)$/;

function isValidPathPattern(path: string): boolean {
	const regex = FAULT_PATH_REGEX.exec(path);
	if (!regex) return true;
	try {
		new RegExp(regex[1], regex[2]);
		return true;
	} catch {
		return false;
	}
}

export const faultSchema = z
	.object({
		method: z.string().trim().min(1).optional(),
		path: z.string().min(1).optional(),
		count: z.number().int().min(1).default(1),
		status: z.number().int().min(400).max(599).optional(),
		code: z.string().min(1).optional(),
		message: z.string().min(1).optional(),
		retry_after: z.number().int().min(0).optional(),
		latency_ms: z.number().int().min(0).max(600_000).optional(),
		drop: z.boolean().optional(),
		/** Process the request first, then answer `status` or drop: the work is done but the client sees a failure. */
		after: z.boolean().optional(),
	})
	.strict()
	.refine((f) => f.status !== undefined || f.latency_ms !== undefined || f.drop === true, {
		message: 'A fault needs status, latency_ms or drop: true',
	})
	.refine((f) => !(f.status !== undefined && f.drop === true), {
		message: 'status and drop exclude each other',
	})
	.refine((f) => !f.after || f.status !== undefined || f.drop === true, {
		message: 'after needs status or drop: true',
		path: ['after'],
	})
	.refine((f) => f.path === undefined || isValidPathPattern(f.path), {
		message: 'path is not a valid /regex/',
		path: ['path'],
	});

export type FaultSpec = z.output<typeof faultSchema>;

/** POST /_sandbox/rate-limit: a token bucket per API key. */
export const rateLimitSchema = z
	.object({
		capacity: z.number().int().min(1).max(100_000),
		per_second: z.number().positive().max(100_000),
	})
	.strict();

export const seedSchema = z
	.object({
		inboxes: z.array(createInboxSchema).optional(),
		count: z.number().int().min(0).max(10_000).optional(),
		prefix: z
			.string()
			.regex(/^[a-z0-9][a-z0-9._-]*$/, 'prefix takes a-z, 0-9, ".", "_" and "-"')
			.optional(),
		domain: z.string().min(1).optional(),
	})
	.strict();

/**
 * `POST /_sandbox/api-keys`: `permissions` in AgentMail's `ApiKeyPermissions`
 * shape (CreateApiKeyRequest): omitted = every permission, otherwise only
 * those set to true.
 */
export const createApiKeySchema = z
	.object({
		api_key: z.string().optional(),
		name: z.string().min(1).max(256).optional(),
		permissions: z
			.object(Object.fromEntries(PERMISSIONS.map((p) => [p, z.boolean().optional()])) as Record<string, z.ZodOptional<z.ZodBoolean>>)
			.strict()
			.optional(),
	})
	.strict();

/** Mail arriving from outside the sandbox into one of its inboxes. */
export const inboundSchema = z
	.object({
		inbox_id: z.string().min(1),
		from: address,
		to: addresses.optional(),
		cc: addresses.optional(),
		reply_to: addresses.optional(),
		subject: z.string().optional(),
		text: z.string().optional(),
		html: z.string().optional(),
		attachments: z.array(sendAttachmentSchema).optional(),
		in_reply_to: z.string().min(1).optional(),
		references: z.array(z.string()).optional(),
		headers: headers.optional(),
		labels: z.array(label).optional(),
	})
	.strict();

/** Parses `body` with `schema` or throws the 400 ValidationError envelope. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
	const result = schema.safeParse(body ?? {});
	if (result.success) return result.data;
	const errors = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
	const summary = errors
		.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
		.join('; ');
	throw validationError(`Invalid request body: ${summary}`, errors);
}

// Webhooks (§6.1)

const eventType = z.enum(EVENT_TYPES);
const idList = z.array(z.string().min(1)).max(10, 'At most 10 ids per webhook');
const headerMap = z
	.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'Not a valid HTTP header name'), z.string())
	.refine((map) => Object.keys(map).length > 0, { message: 'headers must contain at least one entry' });
const inboxWebhookBody = {
	url: z.string().min(1),
	event_types: z.array(eventType).min(1, 'At least one event type is required'),
	client_id: clientId.optional(),
	headers: headerMap.optional(),
};
export const createInboxWebhookSchema = z.object(inboxWebhookBody).strict();
export const createPodWebhookSchema = z.object({ ...inboxWebhookBody, inbox_ids: idList.optional() }).strict();
export const createWebhookSchema = z
	.object({ ...inboxWebhookBody, inbox_ids: idList.optional(), pod_ids: idList.optional() })
	.strict();
const updateInboxWebhookBody = { event_types: z.array(eventType).optional() };
export const updateInboxWebhookSchema = z.object(updateInboxWebhookBody).strict();
export const updatePodWebhookSchema = z
	.object({ ...updateInboxWebhookBody, add_inbox_ids: idList.optional(), remove_inbox_ids: idList.optional() })
	.strict();
export const updateWebhookSchema = z
	.object({
		...updateInboxWebhookBody,
		add_inbox_ids: idList.optional(),
		remove_inbox_ids: idList.optional(),
		add_pod_ids: idList.optional(),
		remove_pod_ids: idList.optional(),
	})
	.strict();
export const updateWebhookHeadersSchema = z
	.object({ headers: headerMap.optional(), remove_headers: z.array(z.string().min(1)).optional() })
	.strict()
	.refine((b) => b.headers !== undefined || b.remove_headers !== undefined, {
		message: 'Provide headers or remove_headers',
	});

/** POST /_sandbox/events: a bounce, complaint, open, delivery or domain verification. */
export const injectEventSchema = z
	.object({
		event_type: z.enum(['message.bounced', 'message.complained', 'message.opened', 'message.delivered', 'domain.verified']),
		inbox_id: z.string().min(1).optional(),
		message_id: z.string().min(1).optional(),
		type: z.string().optional(),
		sub_type: z.string().optional(),
		recipients: z.array(z.string()).optional(),
		domain: z.string().optional(),
	})
	.strict()
	.refine((b) => b.event_type === 'domain.verified' || (b.inbox_id && b.message_id), {
		message: 'inbox_id and message_id (of a sent message) are required for message events',
	});
