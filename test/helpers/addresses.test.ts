import { bareAddress, isDomain, splitList } from '../../nodes/shared/helpers/addresses';
import { addressList } from '../../nodes/AgentMailWaitForApproval/review/form';

describe('addresses', () => {
	it.each([
		['jane@example.com', 'jane@example.com'],
		['Jane Doe <jane@example.com>', 'jane@example.com'],
		['"Doe, Jane" <jane@example.com>', 'jane@example.com'],
		['"ACME <Billing>" <billing@acme.example>', 'billing@acme.example'],
		['"Quote \\" inside" <q@example.com>', 'q@example.com'],
		['<jane@example.com>', 'jane@example.com'],
	])('reads %j', (value, bare) => {
		expect(bareAddress(value)).toBe(bare);
	});

	it.each(['Jane <jane@example>', 'Ja<ne <jane@example.com>', '"unterminated <jane@example.com>', 'jane', '@example.com', 'a b@example.com'])(
		'refuses %j',
		(value) => {
			expect(bareAddress(value)).toBeUndefined();
		},
	);

	it('splits lists on commas outside quotes and angle brackets', () => {
		expect(addressList('"Doe, Jane" <jane@example.com>, "ACME <Billing, Dept>" <b@acme.example>;x@y.org')).toEqual([
			'"Doe, Jane" <jane@example.com>',
			'"ACME <Billing, Dept>" <b@acme.example>',
			'x@y.org',
		]);
		expect(splitList(['a', 'b, c', ''])).toEqual(['a', 'b', 'c']);
	});

	it('knows bare domains', () => {
		expect(isDomain('example.com')).toBe(true);
		expect(isDomain('mail.example.co.uk')).toBe(true);
		expect(['example', '-x.com', 'x.123', 'a@b.com', 'http://x.com'].some(isDomain)).toBe(false);
	});
});
