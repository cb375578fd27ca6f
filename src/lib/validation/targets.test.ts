import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { BulkTargetForm, readTargetForm, targetFieldName, toBulkOperation } from './targets';

describe('the target editor’s forms', () => {
	it('groups the posted fields by cell, ignoring unknown names', () => {
		const form = new FormData();
		form.set(targetFieldName(7, 3, 1, 'v'), '99,5');
		form.set(targetFieldName(7, 3, 1, 'n'), '2');
		form.set(targetFieldName(7, 3, 8, 'v'), '0,5');
		form.set(targetFieldName(7, 3, 8, 'r'), 'Причина');
		form.set('t.7.3.x.v', '1');
		form.set('other', 'x');
		expect(readTargetForm(form)).toEqual([
			{ organizationId: 7, serviceId: 3, indicatorId: 1, value: '99,5', reason: '', version: '2' },
			{ organizationId: 7, serviceId: 3, indicatorId: 8, value: '0,5', reason: 'Причина', version: '' }
		]);
		expect(readTargetForm(form, 1)).toBeNull();
	});

	it('reads a bulk action into the service’s operation', () => {
		const f = v.parse(BulkTargetForm, { kind: 'apply_value', value: ' 100 ', reason: '', indicator: '4', organizationKind: 'school', onlyBlank: 'on' });
		expect(toBulkOperation(f)).toEqual({ kind: 'apply_value', value: '100', reason: null, onlyBlank: true, filter: { indicatorId: 4, serviceId: undefined, organizationId: undefined, organizationKind: 'school' } });
		expect(toBulkOperation(v.parse(BulkTargetForm, { kind: 'accept_suggestions' }))).toMatchObject({ kind: 'accept_suggestions', onlyBlank: false });
		expect(v.safeParse(BulkTargetForm, { kind: 'apply_value', organizationKind: 'castle' }).success).toBe(false);
		expect(v.safeParse(BulkTargetForm, { kind: 'delete_all' }).success).toBe(false);
	});
});
