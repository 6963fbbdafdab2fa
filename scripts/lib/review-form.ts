/**
 * Reads the approval node's review page the way a browser submits it: the
 * text and hidden inputs and the textareas (not the buttons). Shared by the
 * node tests, the e2e suite and `npm start`'s smoke check.
 */
function decodeHtml(value: string): string {
	return value
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

export function formFields(html: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const match of html.matchAll(/<input type="(?:text|hidden)" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)">/g)) {
		fields[match[1]] = decodeHtml(match[2]);
	}
	for (const match of html.matchAll(/<textarea id="[^"]*" name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
		fields[match[1]] = decodeHtml(match[2]);
	}
	return fields;
}

/** The hidden `version_<n>` values (the drafts' updated_at as rendered), in order. */
export function draftVersions(html: string): string[] {
	return [...html.matchAll(/name="version_(\d+)" value="([^"]*)"/g)].map((match) => decodeHtml(match[2]));
}
