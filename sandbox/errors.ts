/**
 * AgentMail's error envelope: `{ name, code, message, fix?, docs? }`, plus
 * `errors: [{ path, message }]` on validation errors (AGENTMAIL_API.md §7.1).
 */

export interface ValidationIssue {
	path: Array<string | number>;
	message: string;
}

export interface ErrorBody {
	name: string;
	code: string;
	message: string;
	fix?: string;
	docs?: string;
	errors?: ValidationIssue[];
}

const DEFAULTS: Record<number, { name: string; code: string; message: string }> = {
	400: { name: 'ValidationError', code: 'validation_error', message: 'Invalid request' },
	401: { name: 'UnauthorizedError', code: 'unauthorized', message: 'Unauthorized' },
	403: { name: 'ForbiddenError', code: 'forbidden', message: 'Forbidden' },
	404: { name: 'NotFoundError', code: 'not_found', message: 'Not found' },
	405: { name: 'MethodNotAllowedError', code: 'method_not_allowed', message: 'Method not allowed' },
	409: { name: 'ConflictError', code: 'conflict', message: 'Conflict' },
	413: { name: 'PayloadTooLargeError', code: 'payload_too_large', message: 'Request body too large' },
	422: { name: 'UnprocessableError', code: 'unprocessable', message: 'Unprocessable request' },
	429: { name: 'RateLimitError', code: 'rate_limit_exceeded', message: 'Rate limit exceeded' },
	500: { name: 'InternalServerError', code: 'internal_error', message: 'Internal server error' },
	502: { name: 'BadGatewayError', code: 'bad_gateway', message: 'Bad gateway' },
	503: { name: 'ServiceUnavailableError', code: 'service_unavailable', message: 'Service unavailable' },
	504: { name: 'GatewayTimeoutError', code: 'gateway_timeout', message: 'Gateway timeout' },
};

export function docsUrl(code: string): string {
	return `https://docs.agentmail.to/errors#${code}`;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: ErrorBody,
		readonly headers: Record<string, string> = {},
	) {
		super(body.message);
	}
}

export interface ErrorOptions {
	name?: string;
	code?: string;
	fix?: string;
	errors?: ValidationIssue[];
	headers?: Record<string, string>;
}

/** Builds an error with the envelope defaults for `status`. */
export function apiError(status: number, message?: string, options: ErrorOptions = {}): ApiError {
	const defaults = DEFAULTS[status] ?? { name: 'Error', code: 'error', message: `HTTP ${status}` };
	const code = options.code ?? defaults.code;
	const body: ErrorBody = {
		name: options.name ?? defaults.name,
		code,
		message: message ?? defaults.message,
	};
	if (options.fix) body.fix = options.fix;
	body.docs = docsUrl(code);
	if (options.errors) body.errors = options.errors;
	return new ApiError(status, body, options.headers);
}

export const notFound = (what: string, fix?: string): ApiError =>
	apiError(404, `${what} not found`, { fix });

export const validationError = (message: string, errors: ValidationIssue[], fix?: string): ApiError =>
	apiError(400, message, { errors, fix });

/** A 400 about one field. */
export const invalidField = (path: Array<string | number>, message: string, fix?: string): ApiError =>
	validationError(`${path.join('.') || 'body'}: ${message}`, [{ path, message }], fix);

export const conflict = (message: string, fix?: string, code = 'conflict'): ApiError =>
	apiError(409, message, { fix, code });

export const unprocessable = (message: string, fix?: string): ApiError => apiError(422, message, { fix });
