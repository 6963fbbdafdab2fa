/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/**
 * The review page allows no script, no remote content and no framing. The
 * draft's HTML body is shown in a sandboxed srcdoc iframe, which inherits
 * this policy, so tracking pixels and remote styles do not load either.
 */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
	'Content-Type': 'text/html; charset=utf-8',
	'Content-Security-Policy':
		"default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self' about:; base-uri 'none'; frame-ancestors 'none'",
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cache-Control': 'no-store',
	'X-Robots-Tag': 'noindex, nofollow',
};

/** The same policy inside the iframe document, for browsers that do not inherit it. */
export const FRAME_POLICY =
	'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">';

/**
 * An email's HTML body, rendered inert: a srcdoc iframe with an empty
 * `sandbox` (no scripts, forms, popups or top navigation), the frame policy
 * first (no remote images, styles or frames), everything attribute-escaped.
 * The draft and every message of its conversation are shown this way.
 */
export function inertHtmlFrame(html: unknown, title: string): string {
	return `<iframe sandbox="" referrerpolicy="no-referrer" title="${escapeHtml(title)}" srcdoc="${escapeHtml(
		FRAME_POLICY + String(html ?? ''),
	)}"></iframe>`;
}
