import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildAnnualReport, type AnnualReportInput } from '../../domain/annual-report';
import { EMPTY_VOLUMES, headlineCards, leafMeasures } from '../../domain/dashboard';
import { renderAnnualReport } from '../../ui/annual-report-document';
import { annualReportDocx } from './annual-report-docx';

/** A small report with complaints and a breach, so every kind of block is written. */
function report() {
	const bad = leafMeasures({ numerator: 9, denominator: 10, normative: 100, target: 100, polarity: 'higher_is_better' });
	const input: AnnualReportInput = {
		year: 2023,
		department: { id: 1, code: 'CITY', kind: 'city_department', name: { kk: '«Сынақ қаласының білім бөлімі» ММ', ru: 'ГУ «Отдел образования города Сынак»', en: null } },
		services: [
			{ id: 1, code: 'S04', title: { kk: 'Балаларды кезекке қою', ru: 'Постановка детей на очередь', en: null }, channels: ['state_corporation', 'egov'], channelsNote: { kk: 'Мемлекеттік корпорация, «электрондық үкіметтің» веб-порталы', ru: null }, isPaid: false },
			{ id: 2, code: 'S19', title: { kk: 'Оқуға қабылдау', ru: 'Зачисление на обучение', en: null }, channels: ['education_org', 'egov'], channelsNote: { kk: null, ru: null }, isPaid: true }
		],
		organizationsByKind: [{ kind: 'school', organizations: 4 }],
		provisions: [{ own: true, kind: 'city_department', serviceId: 1, organizations: 1 }, { own: false, kind: 'school', serviceId: 2, organizations: 4 }],
		volumes: [
			{ own: true, kind: 'city_department', serviceId: 1, provider: 0, stateCorporation: 120, egov: 1280 },
			{ own: false, kind: 'school', serviceId: 2, provider: 700, stateCorporation: 0, egov: 1142 }
		],
		complaints: [{ serviceId: 2, received: 3, justified: 2, unjustified: 1, pending: 0, answered: 3, answeredInTerm: 2, satisfied: 2 }],
		reporting: { due: 5, submitted: 1, approved: 3 },
		targetSets: [{ status: 'approved', protocolNumber: '12', protocolDate: '2022-12-20' }],
		indicators: [{ id: 1, code: '1.1', title: { kk: 'мерзімінде көрсетілген', ru: 'в установленный срок', en: null }, polarity: 'higher_is_better' }],
		measures: [{ serviceId: 2, indicatorId: 1, measures: bad }],
		headline: headlineCards({ measures: bad, volumes: { ...EMPTY_VOLUMES, provider: 700, stateCorporation: 120, egov: 2422 } }, null),
		indicatorCells: {}
	};
	return buildAnnualReport(input);
}

async function open(bytes: Buffer) {
	const zip = await JSZip.loadAsync(bytes);
	const xml = await zip.file('word/document.xml')!.async('string');
	const styles = await zip.file('word/styles.xml')!.async('string');
	return { xml, styles, text: xml.replace(/<[^>]+>/g, '') };
}

describe('the annual report as DOCX', () => {
	it('writes the Kazakh report: seed 000\'s sentences, the tables and the numbers, marked as Kazakh', async () => {
		const { xml, styles, text } = await open(await annualReportDocx(renderAnnualReport(report(), 'kk')));
		expect(text).toContain('Мемлекеттік қызметтер көрсету мәселелері жөніндегі қызметінің есебі');
		expect(text).toContain('«Сынақ қаласының білім бөлімі» ММ');
		expect(text).toContain('2023 жылы көрсетілген мемлекеттік қызметтер саны 3\u00a0242 құрады, оның ішінде көрсетілетін қызметті беруші арқылы – 700, Мемлекеттік корпорация арқылы – 120, электрондық түрде – 2\u00a0422.');
		expect(text).toContain('Мемлекеттік корпорация, «электрондық үкіметтің» веб-порталы');
		expect(text).toContain('Мектептер (4) 1 мемлекеттік қызмет көрсетеді:');
		expect(text).toContain('Ақылы');
		expect(text).toContain('2023 жылы 3 шағым түсті');
		expect(text).toContain('20.12.2022 № 12 хаттама');
		expect(text).toContain('нормативтің бұзылуы: 1');
		// Channel shares with one decimal each: 700, 120 and 2,422 of 3,242.
		expect(text).toContain('21,6 %');
		expect(text).toContain('3,7 %');
		expect(text).toContain('74,7 %');
		expect(text).toContain('100,0 %');
		// Seed 000's parts the system does not record are there, in italics, to be filled in before signing.
		expect(text).toContain('2. Қызмет алушылармен жұмыс');
		expect(text).toContain('4) Мемлекеттік қызметтер көрсету сапасына қоғамдық мониторинг нәтижелері: жүйеде есепке алынбайды');
		expect(xml.match(/<w:i\/>/g)?.length).toBe(3);
		// Tables: channels, own services, schools' services, complaints, breaches, compliance summary.
		expect(xml.match(/<w:tbl>/g)?.length).toBe(6);
		expect(styles).toContain('w:val="kk-KZ"');
		expect(xml).toContain('w:pgSz w:w="11906" w:h="16838"');
	});

	it('writes the Russian report with the same numbers', async () => {
		const { styles, text } = await open(await annualReportDocx(renderAnnualReport(report(), 'ru')));
		expect(text).toContain('Отчет о деятельности по вопросам оказания государственных услуг');
		expect(text).toContain('за 2023 год');
		expect(text).toContain('составило 3\u00a0242, в том числе через услугодателя – 700, через Государственную корпорацию – 120, в электронном виде – 2\u00a0422.');
		// No Russian channel wording in the catalogue: the channels are named from the list.
		expect(text).toContain('Организации образования, веб-портал «электронного правительства»');
		expect(text).toContain('в 2023 году поступило жалоб: 3, в том числе признано обоснованными – 2');
		expect(text).toContain('протокол № 12 от 20.12.2022');
		expect(text).not.toMatch(/[әғқңөұүһі]/);
		expect(styles).toContain('w:val="ru-RU"');
	});
});
