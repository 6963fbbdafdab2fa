import { NodeOperationError, type INode } from 'n8n-workflow';

// Date and time without a zone, as n8n's date picker produces it.
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * A schedule time from n8n's date picker (wall time in the workflow's time
 * zone), an ISO 8601 string with a zone, a JS Date or a Luxon DateTime from
 * an expression, as an ISO string in UTC. Unparseable and past times fail the
 * item: a "scheduled" mail that silently goes out now is worse than an error.
 */
export function parseSendAt(
	node: INode,
	field: string,
	value: unknown,
	itemIndex: number,
	timeZone = 'UTC',
	now: Date = new Date(),
): string {
	const parsed = toDate(value, timeZone);
	if (!parsed) {
		throw new NodeOperationError(node, `${field}: "${String(value)}" is not a valid date and time`, {
			itemIndex,
			description: 'Use ISO 8601 like 2026-12-01T09:00:00Z, or pick a date.',
		});
	}
	if (parsed.getTime() <= now.getTime()) {
		throw new NodeOperationError(node, `${field}: ${parsed.toISOString()} is in the past`, {
			itemIndex,
			description: 'A scheduled send must be in the future.',
		});
	}
	return parsed.toISOString();
}

function toDate(value: unknown, timeZone: string): Date | undefined {
	if (value instanceof Date) return valid(value);
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return toDate((value as { toISO: () => string }).toISO(), timeZone); // Luxon DateTime
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (impossibleDate(text)) return undefined;
	const wall = WALL_TIME.exec(text);
	if (wall) return fromWallTime(wall, timeZone);
	if (!/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) && !/\d{1,2} \w{3} \d{4}/.test(text)) return undefined;
	return valid(new Date(text));
}

/** A date or time that does not exist (2026-02-30, 2026-13-01, 25:00), which Date would roll over. */
function impossibleDate(text: string): boolean {
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
	if (!match) return false;
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
	const daysInMonth = new Date(Date.UTC(+y, +mo, 0)).getUTCDate();
	return +mo < 1 || +mo > 12 || +d < 1 || +d > daysInMonth || +h > 23 || +mi > 59 || +s > 59;
}

function valid(date: Date): Date | undefined {
	return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return asUtc - Math.floor(instant / 1000) * 1000;
}

function fromWallTime(match: RegExpExecArray, timeZone: string): Date | undefined {
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
	const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(ms.padEnd(3, '0')));
	if (Number.isNaN(wall)) return undefined;
	let zone = timeZone;
	try {
		zoneOffsetMs(wall, zone);
	} catch {
		zone = 'UTC';
	}
	const first = wall - zoneOffsetMs(wall, zone);
	return valid(new Date(wall - zoneOffsetMs(first, zone)));
}
