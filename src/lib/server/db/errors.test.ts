import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, violatedConstraint } from './errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
	it.each([
		['refused (server down)', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
		['both addresses refused', Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], ''), {})],
		['connection ended under a query', new Error('Connection terminated unexpectedly')],
		['pool could not connect in time', new Error('timeout exceeded when trying to connect')],
		['terminated by an administrator (restart, pg_terminate_backend)', pgError('57P01', 'terminating connection due to administrator command')],
		['the server is starting up', pgError('57P03', 'the database system is starting up')],
		['too many connections', pgError('53300')],
		['connection exception class', pgError('08006')],
		['statement_timeout', pgError('57014', 'canceling statement due to statement timeout')],
		['wrapped as the cause', new Error('outer', { cause: pgError('57P01') })]
	])('%s: yes', (_, err) => expect(isDatabaseUnavailable(err)).toBe(true));

	it.each([
		['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
		['a check violation', pgError('23514')],
		['a syntax error', pgError('42601')],
		['a plain bug', new TypeError('cannot read properties of undefined')],
		['not an error', 'ECONNREFUSED'],
		['nothing', null]
	])('%s: no', (_, err) => expect(isDatabaseUnavailable(err)).toBe(false));

	it('leaves constraint names alone', () => {
		expect(violatedConstraint(Object.assign(pgError('23505'), { constraint: 'x_key' }))).toBe('x_key');
	});
});
