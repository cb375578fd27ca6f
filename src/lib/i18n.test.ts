import { describe, expect, it } from 'vitest';
import ru from '../../messages/ru.json';
import kk from '../../messages/kk.json';
import en from '../../messages/en.json';
import * as m from '$lib/paraglide/messages';

describe('messages', () => {
	it('every key exists in ru, kk and en, none empty', () => {
		const keys = (o: object) => Object.keys(o).filter((k) => k !== '$schema').sort();
		expect(keys(kk)).toEqual(keys(ru));
		expect(keys(en)).toEqual(keys(ru));
		for (const d of [ru, kk, en]) for (const [k, v] of Object.entries(d)) if (k !== '$schema') expect(v, k).not.toBe('');
	});

	it('are compiled (a misconfigured plugin compiles none while reporting success)', () => {
		expect(m.annex_title({}, { locale: 'ru' })).toBe('Значения показателей качества и доступности');
		expect(m.annex_title({}, { locale: 'kk' })).toBe('Сапа және қол жетімділік көрсеткіштерінің мәні');
		expect(m.annex_col_current({ year: 2024 }, { locale: 'en' })).toBe('Current value in the reporting year (2024)');
	});
});
