/**
 * Send At wall times (what n8n's date picker gives, no zone) are read in the
 * workflow's time zone with Luxon (issue 8, point 9). A wall time that does
 * not exist there (the clocks skip it, spring forward) or exists twice (the
 * clocks go back) is refused with a message saying why, rather than sent an
 * hour early or late: Create Draft and Update Draft, three zones, both
 * transitions of each.
 */
import type { IDataObject } from 'n8n-workflow';

import { useNodeEnv } from '../setup';
import { am, byId, createDraft, expectNoRequests, expectOperationError, runWith } from './helpers';

const getEnv = useNodeEnv();

async function createIn(timezone: string, sendAt: string) {
	const env = getEnv();
	return await runWith(
		env,
		[am('Create', { resource: 'draft', operation: 'create', inboxId: byId(env.inbox), to: 'a@example.com', additionalFields: { sendAt } })],
		{ settings: { executionOrder: 'v1', timezone } },
	);
}

describe('Send At wall times in the workflow time zone', () => {
	it.each([
		// zone, wall time, instant
		['America/New_York', '2099-03-08T01:59:00', '2099-03-08T06:59:00.000Z'], // just before spring forward (EST)
		['America/New_York', '2099-03-08T03:00:00', '2099-03-08T07:00:00.000Z'], // just after (EDT)
		['America/New_York', '2099-11-01T00:59', '2099-11-01T04:59:00.000Z'], // before fall back (EDT)
		['America/New_York', '2099-11-01T02:00', '2099-11-01T07:00:00.000Z'], // after (EST)
		['Europe/Berlin', '2099-03-29T01:30', '2099-03-29T00:30:00.000Z'], // CET
		['Europe/Berlin', '2099-03-29T03:30', '2099-03-29T01:30:00.000Z'], // CEST
		['Europe/Berlin', '2099-10-25T01:59', '2099-10-24T23:59:00.000Z'], // CEST
		['Europe/Berlin', '2099-10-25T03:00', '2099-10-25T02:00:00.000Z'], // CET
		['Australia/Sydney', '2099-10-04T01:30', '2099-10-03T15:30:00.000Z'], // AEST
		['Australia/Sydney', '2099-10-04T03:30', '2099-10-03T16:30:00.000Z'], // AEDT
		['Australia/Sydney', '2099-04-05T01:30', '2099-04-04T14:30:00.000Z'], // AEDT
		['Australia/Sydney', '2099-04-05T03:30', '2099-04-04T17:30:00.000Z'], // AEST
		['Asia/Kolkata', '2099-06-01T14:30:15.250', '2099-06-01T09:00:15.250Z'], // no DST, half-hour offset
	])('%s %s is %s', async (zone, wall, instant) => {
		const run = await createIn(zone, wall);
		expect(run.status).toBe('success');
		expect((run.json('Create')[0].result as IDataObject).send_at).toBe(instant);
	});

	it.each([
		['America/New_York', '2027-03-14T02:30'], // the case from the issue
		['America/New_York', '2099-03-08T02:30:00'],
		['Europe/Berlin', '2099-03-29T02:15'],
		['Australia/Sydney', '2099-10-04T02:00'],
	])('%s %s does not exist (the clocks skip it): refused, saying why', async (zone, wall) => {
		const run = await createIn(zone, wall);
		const error = expectOperationError(
			run,
			'Create',
			new RegExp(`^Send At: ${wall} does not exist in ${zone}: the clocks skip that hour \\(daylight saving time\\)$`),
		);
		expect(error.description).toMatch(/offset/);
		await expectNoRequests(getEnv());
	});

	it.each([
		['America/New_York', '2099-11-01T01:30', '2099-11-01T05:30:00.000Z', '2099-11-01T06:30:00.000Z'],
		['Europe/Berlin', '2099-10-25T02:30', '2099-10-25T00:30:00.000Z', '2099-10-25T01:30:00.000Z'],
		['Australia/Sydney', '2099-04-05T02:30', '2099-04-04T15:30:00.000Z', '2099-04-04T16:30:00.000Z'],
	])('%s %s happens twice (the clocks go back): refused, naming both instants', async (zone, wall, first, second) => {
		const run = await createIn(zone, wall);
		expectOperationError(
			run,
			'Create',
			`Send At: ${wall} happens twice in ${zone} (the clocks go back): ${first} or ${second}`,
		);
		await expectNoRequests(getEnv());
	});

	it('a time with an explicit offset is taken as given, also inside a DST gap or overlap', async () => {
		const ambiguousFirst = await createIn('America/New_York', '2099-11-01T01:30:00-04:00');
		expect((ambiguousFirst.json('Create')[0].result as IDataObject).send_at).toBe('2099-11-01T05:30:00.000Z');
		const utc = await createIn('Europe/Berlin', '2099-03-29T02:15:00Z');
		expect((utc.json('Create')[0].result as IDataObject).send_at).toBe('2099-03-29T02:15:00.000Z');
	});

	it('Update Draft reads Send At the same way', async () => {
		const env = getEnv();
		const draft = await createDraft(env, { to: ['a@example.com'] });
		const update = (sendAt: string) =>
			runWith(
				env,
				[am('Update', { resource: 'draft', operation: 'update', inboxId: byId(env.inbox), draftId: byId(String(draft.draft_id)), updateFields: { sendAt } })],
				{ settings: { executionOrder: 'v1', timezone: 'Australia/Sydney' } },
			);
		const ok = await update('2099-10-04T03:30');
		expect((ok.json('Update')[0].result as IDataObject).send_at).toBe('2099-10-03T16:30:00.000Z');
		expectOperationError(await update('2099-10-04T02:30'), 'Update', /does not exist in Australia\/Sydney/);
	});
});
