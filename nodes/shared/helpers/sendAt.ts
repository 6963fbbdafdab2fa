import { DateTime } from 'luxon';
import { NodeOperationError, type INode } from 'n8n-workflow';

// Date and time without a zone, as n8n's date picker produces it.
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * A schedule time from n8n's date picker (wall time in the workflow's time
 * zone, converted with Luxon; see fromWallTime for DST gaps and overlaps), an ISO 8601 string with a zone, a JS Date or a Luxon DateTime from
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
	const parsed = toDate(node, field, value, timeZone, itemIndex);
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

function toDate(node: INode, field: string, value: unknown, timeZone: string, itemIndex: number): Date | undefined {
	if (value instanceof Date) return valid(value);
	if (DateTime.isDateTime(value)) return value.isValid ? value.toJSDate() : undefined;
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		// a Luxon DateTime from another copy of Luxon
		return toDate(node, field, (value as { toISO: () => string }).toISO(), timeZone, itemIndex);
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (impossibleDate(text)) return undefined;
	const wall = WALL_TIME.exec(text);
	if (wall) return fromWallTime(node, field, text, wall, timeZone, itemIndex);
	if (/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
		const iso = DateTime.fromISO(text, { setZone: true });
		// with its own offset or Z: no zone conversion is involved
		return iso.isValid ? iso.toJSDate() : valid(new Date(text));
	}
	if (!/\d{1,2} \w{3} \d{4}/.test(text)) return undefined;
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

/**
 * A wall time (no offset) in `timeZone` (the workflow's; UTC when it is not
 * a zone Luxon knows), converted with Luxon. Every UTC offset the zone has
 * within 14 hours of that wall time is tried: one that reproduces the wall
 * time is the answer. None means the time does not exist there (the clocks
 * skip it, spring forward), two that it exists twice (the clocks go back).
 * Both are refused, saying why, instead of silently picking an instant an
 * hour away from what the builder meant (Luxon itself would shift a skipped
 * time forward and pick one of the two for a repeated one).
 */
function fromWallTime(
	node: INode,
	field: string,
	text: string,
	match: RegExpExecArray,
	timeZone: string,
	itemIndex: number,
): Date | undefined {
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
	const wall = { year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +s, millisecond: Number(ms.padEnd(3, '0')) };
	const zone = DateTime.now().setZone(timeZone).isValid ? timeZone : 'UTC';
	const wallAsUtc = DateTime.fromObject(wall, { zone: 'UTC' });
	if (!wallAsUtc.isValid) return undefined;
	const wallMs = wallAsUtc.toMillis();
	const offsets = new Set<number>();
	for (const hours of [-14, -7, 0, 7, 14]) {
		offsets.add(DateTime.fromMillis(wallMs + hours * 3_600_000, { zone }).offset);
	}
	const instants = [...offsets]
		.map((offset) => wallMs - offset * 60_000)
		.filter((instant) => {
			const local = DateTime.fromMillis(instant, { zone });
			return local.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS") === wallAsUtc.toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");
		})
		.sort((a, b) => a - b);
	if (instants.length === 0) {
		throw new NodeOperationError(
			node,
			`${field}: ${text} does not exist in ${zone}: the clocks skip that hour (daylight saving time)`,
			{
				itemIndex,
				description:
					'Pick a time outside the skipped hour, or give the time with its UTC offset (for example 2027-03-14T03:30:00-04:00).',
			},
		);
	}
	const unique = [...new Set(instants)];
	if (unique.length > 1) {
		const iso = unique.map((instant) => new Date(instant).toISOString());
		throw new NodeOperationError(
			node,
			`${field}: ${text} happens twice in ${zone} (the clocks go back): ${iso.join(' or ')}`,
			{
				itemIndex,
				description: `Give the time with its UTC offset to say which one is meant (for example ${DateTime.fromMillis(unique[0], { zone }).toISO({ suppressMilliseconds: true })}).`,
			},
		);
	}
	return new Date(unique[0]);
}
