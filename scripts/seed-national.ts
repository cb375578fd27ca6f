/*
 * npm run seed:national                      a country-sized data set into DATABASE_URL (PostgreSQL only)
 * npm run seed:national -- --scale 0.05      5 % of the organizations (quick runs, tests)
 * npm run seed:national -- --reset           drop and recreate that database first
 * npm run seed:national -- --seed 7          another (still deterministic) data set
 *
 * The country: a root (the ministry), the 17 regions with their real names, about 200 district
 * and city education departments, 20 000 schools, kindergartens and supplementary education
 * organizations providing the catalogue's services by kind, ten years (2016–2025) of figures
 * (≈ 9.4 M measurements, ≈ 2.8 M served volumes, complaints), approved targets in the working
 * groups' target sets (2026: partly still drafts), reporting years (past years approved), users.
 * The tree has history: Abai, Jetisu and Ulytau regions were formed in 2022 out of East
 * Kazakhstan, Almaty and Karaganda regions, so their departments change parent that year; some
 * schools open, close, merge or move to another district. Organizations behave differently
 * (steady, chronically breaching, improving, worsening, erratic) so a dashboard shows something.
 * Everything invented is marked demo (is_demo, source 'demo'); names of regions and cities are real.
 *
 * How: the database named in DATABASE_URL is created if missing and migrated; the data is
 * generated from a seeded PRNG and streamed with COPY in one transaction with
 * session_replication_role = replica (no per-row triggers: audit, provision and lock checks,
 * compliance marks), the figure tables COPY … FREEZE; then ANALYZE, sapa_compliance_rebuild(y)
 * for every year, a check that compliance_dirty is empty, COMMIT, and VACUUM (ANALYZE).
 * A database that already holds other data is refused unless --reset.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { allocate } from '../src/lib/domain/allocate';
import { makeBin } from '../src/lib/domain/bin';
import { createRng, type Rng } from '../src/lib/domain/random';
import { hashPassword } from '../src/lib/server/auth/password';
import { openPostgres } from '../src/lib/server/db/connect';
import { migrateToLatest } from '../src/lib/server/db/migrate';
import { runAdminStatement, withDatabase } from '../src/lib/server/db/pg-admin';
import type { Channel, OrganizationKind, VolumeChannel } from '../src/lib/server/db/schema';
import { DEMO_PASSWORD, volumeChannels } from '../src/lib/server/demo/plan';
import { regionalStandard, services as catalogueServices } from '../migrations/data/catalogue-v1';
import { loadMigrations } from './load-migrations';

export const NATIONAL_FIRST_YEAR = 2016;
export const NATIONAL_LAST_YEAR = 2025;
/** Targets run one year past the data: next year's targets are set in December. */
export const NATIONAL_TARGET_LAST_YEAR = 2026;
export const NATIONAL_ORGANIZATIONS = 20_000;
export const NATIONAL_MARKER = 'national_seeded';
export const NATIONAL_ROOT_CODE = 'KZ-EDU';
/** Every national account signs in with the demo password (README). */
export const NATIONAL_ADMIN_EMAIL = 'admin@national.sapa.kz';
export const NATIONAL_PASSWORD = DEMO_PASSWORD;

const YEARS = Array.from({ length: NATIONAL_LAST_YEAR - NATIONAL_FIRST_YEAR + 1 }, (_, i) => NATIONAL_FIRST_YEAR + i);
const TARGET_YEARS_END = NATIONAL_TARGET_LAST_YEAR;
const CHANNELS: VolumeChannel[] = ['provider', 'state_corporation', 'egov'];

export interface NationalOptions {
	/** postgres://…/name: the dedicated database (created when missing). */
	url: string;
	/** Fraction of the 20 000 organizations (districts shrink with its square root). */
	scale?: number;
	/** Drop and recreate the database first. */
	reset?: boolean;
	seed?: number;
	log?: (line: string) => void;
}

export interface NationalSummary {
	database: string;
	scale: number;
	seed: number;
	counts: Record<string, number>;
	rootId: number;
	years: number[];
	ms: number;
	phases: Array<{ name: string; ms: number }>;
}

// ---------------------------------------------------------------------------------------------
// The country
// ---------------------------------------------------------------------------------------------

type Place = [ru: string, kk: string, en: string];

interface RegionDef {
	code: string;
	/** Russian genitive, as in «Управление образования …». */
	ru: string;
	/** Kazakh nominative «… облысы». */
	kk: string;
	en: string;
	/** Relative size (population, hundreds of thousands). */
	weight: number;
	/** Cities of regional significance, the administrative centre first; 'RUDNY' is the catalogue's Rudny. */
	cities: Array<Place | 'RUDNY'>;
	districts: number;
	/** Formed in 2022 out of another region: its departments belonged there until 2021. */
	formed?: { year: number; from: string; on: string };
}

const REGIONS: RegionDef[] = [
	{ code: 'ABAI', ru: 'области Абай', kk: 'Абай облысы', en: 'Abai Region', weight: 6, districts: 9, formed: { year: 2022, from: 'VKO', on: '2022-06-08' },
		cities: [['Семей', 'Семей', 'Semey'], ['Курчатов', 'Курчатов', 'Kurchatov']] },
	{ code: 'AKM', ru: 'Акмолинской области', kk: 'Ақмола облысы', en: 'Akmola Region', weight: 7.8, districts: 17,
		cities: [['Кокшетау', 'Көкшетау', 'Kokshetau'], ['Степногорск', 'Степногор', 'Stepnogorsk']] },
	{ code: 'AKT', ru: 'Актюбинской области', kk: 'Ақтөбе облысы', en: 'Aktobe Region', weight: 9.2, districts: 12, cities: [['Актобе', 'Ақтөбе', 'Aktobe']] },
	{ code: 'ALM', ru: 'Алматинской области', kk: 'Алматы облысы', en: 'Almaty Region', weight: 15, districts: 9, cities: [['Конаев', 'Қонаев', 'Konaev']] },
	{ code: 'ATR', ru: 'Атырауской области', kk: 'Атырау облысы', en: 'Atyrau Region', weight: 6.9, districts: 7, cities: [['Атырау', 'Атырау', 'Atyrau']] },
	{ code: 'VKO', ru: 'Восточно-Казахстанской области', kk: 'Шығыс Қазақстан облысы', en: 'East Kazakhstan Region', weight: 7.2, districts: 9,
		cities: [['Усть-Каменогорск', 'Өскемен', 'Oskemen'], ['Риддер', 'Риддер', 'Ridder']] },
	{ code: 'ZHM', ru: 'Жамбылской области', kk: 'Жамбыл облысы', en: 'Jambyl Region', weight: 12, districts: 10, cities: [['Тараз', 'Тараз', 'Taraz']] },
	{ code: 'ZHT', ru: 'области Жетісу', kk: 'Жетісу облысы', en: 'Jetisu Region', weight: 6.9, districts: 8, formed: { year: 2022, from: 'ALM', on: '2022-06-08' },
		cities: [['Талдыкорган', 'Талдықорған', 'Taldykorgan'], ['Текели', 'Текелі', 'Tekeli']] },
	{ code: 'ZKO', ru: 'Западно-Казахстанской области', kk: 'Батыс Қазақстан облысы', en: 'West Kazakhstan Region', weight: 6.9, districts: 12, cities: [['Уральск', 'Орал', 'Oral']] },
	{ code: 'KAR', ru: 'Карагандинской области', kk: 'Қарағанды облысы', en: 'Karaganda Region', weight: 11.3, districts: 7,
		cities: [['Караганда', 'Қарағанды', 'Karaganda'], ['Темиртау', 'Теміртау', 'Temirtau'], ['Балхаш', 'Балқаш', 'Balkhash'], ['Сарань', 'Саран', 'Saran'], ['Шахтинск', 'Шахтинск', 'Shakhtinsk']] },
	{ code: 'KST', ru: 'Костанайской области', kk: 'Қостанай облысы', en: 'Kostanay Region', weight: 8.3, districts: 16,
		cities: [['Костанай', 'Қостанай', 'Kostanay'], 'RUDNY', ['Лисаковск', 'Лисаков', 'Lisakovsk'], ['Аркалык', 'Арқалық', 'Arkalyk']] },
	{ code: 'KZO', ru: 'Кызылординской области', kk: 'Қызылорда облысы', en: 'Kyzylorda Region', weight: 8.3, districts: 7, cities: [['Кызылорда', 'Қызылорда', 'Kyzylorda']] },
	{ code: 'MNG', ru: 'Мангистауской области', kk: 'Маңғыстау облысы', en: 'Mangystau Region', weight: 7.7, districts: 5,
		cities: [['Актау', 'Ақтау', 'Aktau'], ['Жанаозен', 'Жаңаөзен', 'Zhanaozen']] },
	{ code: 'PVL', ru: 'Павлодарской области', kk: 'Павлодар облысы', en: 'Pavlodar Region', weight: 7.5, districts: 10,
		cities: [['Павлодар', 'Павлодар', 'Pavlodar'], ['Экибастуз', 'Екібастұз', 'Ekibastuz'], ['Аксу', 'Ақсу', 'Aksu']] },
	{ code: 'SKO', ru: 'Северо-Казахстанской области', kk: 'Солтүстік Қазақстан облысы', en: 'North Kazakhstan Region', weight: 5.3, districts: 13,
		cities: [['Петропавловск', 'Петропавл', 'Petropavl']] },
	{ code: 'TRK', ru: 'Туркестанской области', kk: 'Түркістан облысы', en: 'Turkistan Region', weight: 21, districts: 14,
		cities: [['Туркестан', 'Түркістан', 'Turkistan'], ['Кентау', 'Кентау', 'Kentau'], ['Арыс', 'Арыс', 'Arys']] },
	{ code: 'ULT', ru: 'области Ұлытау', kk: 'Ұлытау облысы', en: 'Ulytau Region', weight: 2.2, districts: 3, formed: { year: 2022, from: 'KAR', on: '2022-06-08' },
		cities: [['Жезказган', 'Жезқазған', 'Zhezkazgan'], ['Сатпаев', 'Сәтбаев', 'Satbayev'], ['Каражал', 'Қаражал', 'Karazhal']] }
];

/** Yearly demand of a city department's services, for a city of Rudny's size (the demo's base demand). */
const CITY_DEMAND: Record<string, number> = { S01: 25, S02: 300, S03: 260, S04: 1400, S05: 40, S06: 8, S07: 15, S08: 12, S09: 10, S10: 4, S11: 20 };
/** Yearly demand per organization of an average size. */
const LEAF_DEMAND: Record<'school' | 'kindergarten' | 'supplementary', Record<string, number>> = {
	school: { S13: 4.5, S14: 35, S15: 1.4, S16: 16, S17: 0.3, S18: 19, S19: 84, S20: 5, S21: 91 },
	kindergarten: { S12: 70, S13: 2.5 },
	supplementary: { S13: 3, S14: 300 }
};
/** Share of the leaves by kind (about 7 800 schools, 10 400 kindergartens, 1 800 supplementary). */
const KIND_SHARE: Array<['school' | 'kindergarten' | 'supplementary', number]> = [['school', 0.39], ['kindergarten', 0.52], ['supplementary', 0.09]];
/** Services whose standard was replaced in 2020 by a stricter one (3.1 and 3.2 raised to 99). */
const REVISED_2020 = new Set(['S04', 'S12', 'S19', 'S21']);
/** Survey-based indicators count answers of a sample of the served; the rest count every case. */
const SURVEY = new Set(['1.2', '2.1', '3.1', '4.3', '4.4', '5.1']);
const TROUBLE_CANDIDATES = ['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '4.3', '4.4', '5.1'];
const COMPLAINT_SUMMARIES = [
	'Нарушен срок оказания услуги',
	'Повторно запрошены документы, уже представленные заявителем',
	'Длительное ожидание в очереди',
	'Неполная информация о порядке оказания услуги',
	'Некорректное обращение сотрудника',
	'Отказ в приёме заявления без объяснения причин',
	'Ошибка в выданном документе',
	'Не получен ответ через портал электронного правительства'
];
const WORKING_GROUP = 'Рабочая группа отдела образования: руководитель отдела (председатель), методисты, представители родительской общественности (демо)';
const TRANSITIONAL_REASON = 'Переходный целевой показатель на период выполнения плана устранения нарушений (демо)';
const RETURN_REASON = 'Проверьте показатели 3.1 и 3.2: число опрошенных меньше, чем в прошлом году (демо)';

type Profile = 'steady' | 'chronic' | 'improving' | 'worsening' | 'erratic';

interface Svc { id: number; code: string; channels: Channel[]; providedBy: string[] }
interface Ind { id: number; code: string; source: 'reported' | 'complaints_register'; polarity: 'higher_is_better' | 'lower_is_better' }
interface Link { parent: number | null; from: number; to: number | null }
interface Provision { svc: Svc; from: number; to: number | null; demand: number }

interface PlanOrg {
	id: number;
	code: string;
	kind: OrganizationKind;
	nameKk: string; nameRu: string; nameEn: string;
	bin: string | null;
	activeFrom: string;
	activeTo: string | null;
	mergedInto: number | null;
	/** Already in the database (the catalogue's real organizations): not inserted again. */
	existing: boolean;
	links: Link[];
	provisions: Provision[];
	region: number;
	profile: Profile;
	troubled: string[];
	trendYear: number;
	quality: number;
	digital: number;
	/** The latest year's reporting state. */
	latest: 'approved' | 'submitted' | 'returned' | 'missing';
}

interface Unit {
	org: PlanOrg;
	regionIndex: number;
	/** First year of the unit's working-group target sets. */
	targetsFrom: number;
	head: number;
}

interface Plan {
	root: PlanOrg;
	regions: PlanOrg[];
	units: Unit[];
	orgs: PlanOrg[];
	standards: Array<{ svc: Svc; id: number; from: string; to: string | null; normatives: Record<string, number>; actNumber: string; actDate: string; repeal: { number: string; date: string } | null }>;
	indicators: Ind[];
	/** unit org id → year → organizations in its subtree that year (itself first when it provides services). */
	members: Map<number, Map<number, PlanOrg[]>>;
	regionHeads: number[];
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: one stream per (purpose, organization, service, year), so each table
// can be generated on its own and still agree with the others.
// ---------------------------------------------------------------------------------------------

function hashOf(seed: number, parts: number[]): number {
	let h = (0x9e3779b9 ^ seed) >>> 0;
	for (const p of parts) {
		h = Math.imul(h ^ (p | 0), 0x85ebca6b);
		h ^= h >>> 13;
		h = Math.imul(h, 0xc2b2ae35);
		h ^= h >>> 16;
	}
	return h >>> 0;
}

const TAG = { org: 1, served: 2, measure: 3, complaint: 4, target: 5, transitional: 6, missing: 7, year: 8, unit: 9, region: 10 } as const;

function gauss(rng: Rng): number {
	const u = 1 - rng.next();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function poisson(rng: Rng, mean: number): number {
	if (mean <= 0) return 0;
	if (mean < 30) {
		const limit = Math.exp(-mean);
		let k = 0;
		let p = rng.next();
		while (p > limit) {
			k++;
			p *= rng.next();
		}
		return k;
	}
	return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rng)));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const iso = (d: Date) => d.toISOString().slice(0, 10);
const covers = (from: number, to: number | null, y: number) => from <= y && (to === null || to >= y);
const parentIn = (o: PlanOrg, y: number) => o.links.find((l) => covers(l.from, l.to, y))?.parent ?? null;

// ---------------------------------------------------------------------------------------------
// The plan: the tree, provisions, standards (everything but the yearly figures)
// ---------------------------------------------------------------------------------------------

interface Catalogue {
	services: Svc[];
	indicators: Ind[];
	existing: Map<string, number>;
	nextOrgId: number;
	nextStandardId: number;
}

function buildPlan(cat: Catalogue, scale: number, seed: number, userIds: { regionHeads: number[]; unitHeads: Map<string, number> } | null): Plan {
	const rng = createRng(hashOf(seed, [TAG.org]));
	let nextId = cat.nextOrgId;
	let binSerial = 0;
	const bin = () => {
		for (;;) {
			const candidate = makeBin(`97${pad(++binSerial, 9)}`);
			if (candidate) return candidate;
		}
	};
	const servicesOf = (kind: string) => cat.services.filter((s) => s.providedBy.includes(kind));
	const profileOf = (r: Rng): Pick<PlanOrg, 'profile' | 'troubled' | 'trendYear' | 'digital' | 'latest'> => {
		const x = r.next();
		const profile: Profile = x < 0.62 ? 'steady' : x < 0.72 ? 'chronic' : x < 0.84 ? 'improving' : x < 0.94 ? 'worsening' : 'erratic';
		const troubled = [...TROUBLE_CANDIDATES].sort(() => r.next() - 0.5).slice(0, r.int(2, 3));
		const trendYear = profile === 'improving' ? r.int(2019, 2024) : r.int(2019, 2023);
		const l = r.next();
		const latest = l < 0.84 ? 'approved' : l < 0.91 ? 'submitted' : l < 0.94 ? 'returned' : 'missing';
		return { profile, troubled, trendYear, digital: 0.7 + 0.6 * r.next(), latest };
	};
	const make = (o: Omit<PlanOrg, 'id' | 'existing' | 'profile' | 'troubled' | 'trendYear' | 'digital' | 'latest' | 'mergedInto' | 'activeTo' | 'bin'> & Partial<PlanOrg>, r: Rng): PlanOrg => {
		const existing = cat.existing.get(o.code);
		return {
			id: existing ?? nextId++, existing: existing !== undefined, mergedInto: null, activeTo: null, bin: existing !== undefined ? null : bin(),
			...profileOf(r), ...o
		};
	};

	const root = make({
		code: NATIONAL_ROOT_CODE, kind: 'other', region: -1, quality: 1, activeFrom: '2000-01-01', provisions: [],
		nameRu: 'Министерство просвещения Республики Казахстан', nameKk: 'Қазақстан Республикасының Оқу-ағарту министрлігі',
		nameEn: 'Ministry of Education of the Republic of Kazakhstan', links: [{ parent: null, from: 2000, to: null }]
	}, rng);

	const regions: PlanOrg[] = [];
	const regionByCode = new Map<string, PlanOrg>();
	REGIONS.forEach((r, index) => {
		const rr = createRng(hashOf(seed, [TAG.region, index]));
		const from = r.formed?.year ?? 2000;
		const org = make({
			code: `${r.code}-EDU`, kind: 'region_department', region: index, quality: 0.6 + 1.0 * rr.next(), provisions: [],
			activeFrom: r.formed?.on ?? '2000-01-01',
			nameRu: `Управление образования ${r.ru}`, nameKk: `${r.kk}ның білім басқармасы`, nameEn: `Education Department of ${r.en}`,
			links: [{ parent: root.id, from, to: null }]
		}, rr);
		regions.push(org);
		regionByCode.set(r.code, org);
	});

	// Districts and cities: all of them at scale 1; fewer (at least one per region) below.
	const units: Unit[] = [];
	const shrink = Math.min(1, Math.sqrt(scale));
	REGIONS.forEach((r, index) => {
		const region = regionByCode.get(r.code)!;
		const places: Array<{ kind: 'city' | 'district'; place: Place | 'RUDNY' | null; n: number }> = [
			...r.cities.map((place, i) => ({ kind: 'city' as const, place, n: i + 1 })),
			...Array.from({ length: r.districts }, (_, i) => ({ kind: 'district' as const, place: null, n: i + 1 }))
		];
		// Rudny is in the catalogue already, so it is always placed.
		const keep = Math.max(1, Math.round(places.length * shrink));
		const kept = places.filter((p, i) => i < keep || p.place === 'RUDNY');
		for (const p of kept) {
			const ur = createRng(hashOf(seed, [TAG.unit, index, p.kind === 'city' ? p.n : 100 + p.n]));
			const links: Link[] = r.formed
				? [{ parent: regionByCode.get(r.formed.from)!.id, from: 2000, to: r.formed.year - 1 }, { parent: region.id, from: r.formed.year, to: null }]
				: [{ parent: region.id, from: 2000, to: null }];
			const names = p.place === null
				? { nameRu: `Отдел образования по району № ${p.n} ${r.ru}`, nameKk: `${r.kk} № ${p.n} ауданы бойынша білім бөлімі`, nameEn: `District No. ${p.n} education department, ${r.en}` }
				: p.place === 'RUDNY'
					? { nameRu: 'ГУ «Отдел образования города Рудного»', nameKk: '«Рудный қаласының білім бөлімі» мемлекеттік мекемесі', nameEn: 'State institution "Rudny City Education Department"' }
					: { nameRu: `Отдел образования по городу ${p.place[0]}`, nameKk: `${p.place[1]} қаласы бойынша білім бөлімі`, nameEn: `${p.place[2]} city education department` };
			const code = p.place === 'RUDNY' ? 'RUDNY-EDU' : `${r.code}-${p.kind === 'city' ? 'C' : 'D'}${pad(p.n, 2)}-EDU`;
			// A city's size relative to Rudny: the regional centre is large, the others alike, districts small.
			const size = (p.kind === 'city' ? (p.n === 1 ? 2.2 : 0.9) : 0.35) * Math.exp(0.35 * gauss(ur));
			const org = make({
				code, kind: 'city_department', region: index, quality: region.quality * (0.8 + 0.4 * ur.next()), activeFrom: '2000-01-01', links, ...names,
				provisions: servicesOf('city_department').map((svc) => ({ svc, from: NATIONAL_FIRST_YEAR, to: null, demand: (CITY_DEMAND[svc.code] ?? 5) * size }))
			}, ur);
			units.push({ org, regionIndex: index, targetsFrom: ur.int(2018, 2022), head: 0 });
		}
	});

	// Leaves: allocated to regions by weight, then to their units (the regional centre the largest).
	const leafTotal = Math.max(1, Math.round(NATIONAL_ORGANIZATIONS * scale));
	const perRegion = allocate(leafTotal, REGIONS.map((r) => r.weight));
	const orgs: PlanOrg[] = [];
	const rudnySupplementary = ['RUDNY-SUP-01', 'RUDNY-SUP-02', 'RUDNY-SUP-03'];
	const leavesOfUnit = new Map<Unit, PlanOrg[]>();
	REGIONS.forEach((r, index) => {
		const regionUnits = units.filter((u) => u.regionIndex === index);
		const weights = regionUnits.map((u) => (u.org.code.includes('-C01-') ? 4 : u.org.code.includes('-C') || u.org.code === 'RUDNY-EDU' ? 1.3 : 0.6 + 0.8 * rng.next()));
		const counts = allocate(perRegion[index]!, weights);
		regionUnits.forEach((unit, ui) => {
			const leaves: PlanOrg[] = [];
			const prefix = unit.org.code.replace(/-EDU$/, '');
			const urban = unit.org.code.includes('-C') || unit.org.code === 'RUDNY-EDU';
			let count = counts[ui]!;
			if (unit.org.code === 'RUDNY-EDU') {
				// The catalogue's three real supplementary organizations count among Rudny's leaves.
				for (const code of rudnySupplementary) {
					const lr = createRng(hashOf(seed, [TAG.org, cat.existing.get(code) ?? 0]));
					leaves.push(make({
						code, kind: 'supplementary', region: index, quality: unit.org.quality, activeFrom: '2000-01-01', nameRu: code, nameKk: code, nameEn: code,
						links: [{ parent: unit.org.id, from: 2000, to: null }],
						provisions: servicesOf('supplementary').map((svc) => ({ svc, from: NATIONAL_FIRST_YEAR, to: null, demand: LEAF_DEMAND.supplementary[svc.code] ?? 1 }))
					}, lr));
				}
				count = Math.max(0, count - rudnySupplementary.length);
			}
			const byKind = allocate(count, KIND_SHARE.map(([, w]) => w));
			KIND_SHARE.forEach(([kind], ki) => {
				for (let n = 1; n <= byKind[ki]!; n++) {
					const lr = createRng(hashOf(seed, [TAG.org, nextId]));
					const size = (urban ? 1.3 : 0.6) * Math.exp(0.45 * gauss(lr));
					const opened = lr.chance(0.04) ? lr.int(NATIONAL_FIRST_YEAR + 1, NATIONAL_LAST_YEAR) : null;
					const names = kind === 'school'
						? { nameRu: `Средняя школа № ${n}`, nameKk: `№ ${n} жалпы орта білім беретін мектеп`, nameEn: `Secondary school No. ${n}` }
						: kind === 'kindergarten'
							? { nameRu: `Ясли-сад № ${n}`, nameKk: `№ ${n} бөбекжай-бақша`, nameEn: `Kindergarten No. ${n}` }
							: { nameRu: `Центр дополнительного образования № ${n}`, nameKk: `№ ${n} қосымша білім беру орталығы`, nameEn: `Supplementary education centre No. ${n}` };
					const openYear = opened ?? 1950 + lr.int(0, 65);
					const first = Math.max(NATIONAL_FIRST_YEAR, openYear);
					const provided = servicesOf(kind).filter((svc) => !(kind === 'school' && svc.code === 'S14') || lr.chance(0.6));
					leaves.push(make({
						code: `${prefix}-${kind === 'school' ? 'SCH' : kind === 'kindergarten' ? 'KG' : 'SUP'}-${pad(n, 3)}`, kind, region: index,
						quality: unit.org.quality * (0.7 + 0.6 * lr.next()), activeFrom: opened ? `${opened}-09-01` : `${openYear}-09-01`, ...names,
						links: [{ parent: unit.org.id, from: openYear, to: null }],
						provisions: provided.map((svc) => ({ svc, from: first, to: null, demand: (LEAF_DEMAND[kind][svc.code] ?? 1) * size }))
					}, lr));
				}
			});
			leavesOfUnit.set(unit, leaves);
			orgs.push(...leaves);
		});
	});

	// History: some leaves close (half of them merged into a sibling), some move to another district.
	for (const unit of units) {
		const leaves = leavesOfUnit.get(unit)!;
		const siblings = units.filter((u) => u.regionIndex === unit.regionIndex && u !== unit);
		for (const o of leaves) {
			if (cat.existing.has(o.code)) continue;
			const hr = createRng(hashOf(seed, [TAG.org, o.id, 1]));
			const x = hr.next();
			const openYear = o.links[0]!.from;
			if (x < 0.02 && openYear < 2018) {
				const last = hr.int(2018, NATIONAL_LAST_YEAR - 1);
				o.activeTo = `${last}-12-31`;
				o.links[0]!.to = last;
				for (const p of o.provisions) p.to = last;
				const into = leaves.find((s) => s !== o && s.kind === o.kind && s.activeTo === null && !cat.existing.has(s.code) && s.links[0]!.from <= last);
				if (into && hr.chance(0.5)) o.mergedInto = into.id;
			} else if (x < 0.03 && siblings.length && openYear < 2018) {
				const to = siblings[hr.int(0, siblings.length - 1)]!;
				const year = hr.int(2018, NATIONAL_LAST_YEAR);
				o.links = [{ parent: unit.org.id, from: openYear, to: year - 1 }, { parent: to.org.id, from: year, to: null }];
			}
		}
	}

	// Standards: one per service since 2015; four services replaced theirs by a stricter one in 2020.
	let standardId = cat.nextStandardId;
	const standards: Plan['standards'] = [];
	const base = regionalStandard.normatives;
	for (const svc of cat.services.filter((s) => /^S\d\d$/.test(s.code))) {
		if (REVISED_2020.has(svc.code)) {
			standards.push({ svc, id: standardId++, from: '2015-05-01', to: '2020-04-30', normatives: { ...base, '3.1': 95, '3.2': 97 },
				actNumber: `ДЕМО-${svc.code}-2015`, actDate: '2015-04-13', repeal: { number: `ДЕМО-${svc.code}-2020`, date: '2020-05-01' } });
			standards.push({ svc, id: standardId++, from: '2020-05-01', to: null, normatives: { ...base }, actNumber: `ДЕМО-${svc.code}-2020`, actDate: '2020-04-10', repeal: null });
		} else {
			standards.push({ svc, id: standardId++, from: '2015-05-01', to: null, normatives: { ...base }, actNumber: `ДЕМО-${svc.code}-2015`, actDate: '2015-04-13', repeal: null });
		}
	}

	// Who is in each unit's subtree, year by year (for the working groups' target sets).
	const all = [...units.map((u) => u.org), ...orgs];
	const unitIds = new Set(units.map((u) => u.org.id));
	const members = new Map<number, Map<number, PlanOrg[]>>(units.map((u) => [u.org.id, new Map()]));
	for (let y = NATIONAL_FIRST_YEAR; y <= TARGET_YEARS_END; y++) {
		for (const o of all) {
			if (!o.provisions.some((p) => covers(p.from, p.to, y))) continue;
			const holder = unitIds.has(o.id) ? o.id : parentIn(o, y);
			if (holder === null || !members.has(holder)) continue;
			const byYear = members.get(holder)!;
			(byYear.get(y) ?? byYear.set(y, []).get(y)!).push(o);
		}
	}
	if (userIds) {
		for (const u of units) u.head = userIds.unitHeads.get(u.org.code) ?? 0;
	}
	return { root, regions, units, orgs, standards, indicators: cat.indicators, members, regionHeads: userIds?.regionHeads ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Yearly figures, generated per (organization, service, year)
// ---------------------------------------------------------------------------------------------

interface Gen {
	seed: number;
	plan: Plan;
	normative: (svc: Svc, year: number, code: string) => number | null;
}

/** Whether the organization reported anything that year. */
function reportsYear(g: Gen, o: PlanOrg, y: number): boolean {
	if (y === NATIONAL_LAST_YEAR) return o.latest !== 'missing';
	return !createRng(hashOf(g.seed, [TAG.year, o.id, y])).chance(0.003);
}

/** Served that year by channel (what the volumes say and the denominators count). */
function servedOf(g: Gen, o: PlanOrg, p: Provision, y: number): number[] {
	const r = createRng(hashOf(g.seed, [TAG.served, o.id, p.svc.id, y]));
	const growth = (1 + 0.03 * (y - NATIONAL_FIRST_YEAR)) * (y === 2020 ? 0.85 : 1);
	const total = poisson(r, p.demand * growth);
	const channels = volumeChannels(p.svc.channels);
	const egov = Math.min(0.9, (0.35 + 0.05 * (y - NATIONAL_FIRST_YEAR)) * o.digital);
	const weights = CHANNELS.map((c) => !channels.includes(c) ? 0 : c === 'egov' ? egov : c === 'provider' ? 0.3 * (0.7 + 0.6 * r.next()) : 0.08 * (0.5 + r.next()));
	return weights.some((w) => w > 0) ? allocate(total, weights) : [total, 0, 0];
}

function volumesMissing(g: Gen, o: PlanOrg, p: Provision, y: number): boolean {
	return createRng(hashOf(g.seed, [TAG.missing, o.id, p.svc.id, y, 0])).chance(0.003);
}

/** Chance that one case or one answer falls short of the standard. */
function slipOf(o: PlanOrg, code: string, y: number, erratic: string | null): number {
	let p = 0.00035 * o.quality;
	if (code === '3.1' || code === '3.2') p += 0.004;
	if (code === '5.1') p += 0.0008;
	const troubled = o.troubled.includes(code);
	switch (o.profile) {
		case 'chronic':
			if (troubled) p += 0.04;
			break;
		case 'improving':
			if (troubled && y < o.trendYear) p += 0.05 * (1 - (y - NATIONAL_FIRST_YEAR) / (o.trendYear - NATIONAL_FIRST_YEAR + 1));
			break;
		case 'worsening':
			if (y >= o.trendYear) p += (troubled ? 0.012 : 0.002) * (y - o.trendYear + 1);
			break;
		case 'erratic':
			if (code === erratic) p += 0.03;
			break;
		default:
	}
	return Math.min(p, 0.5);
}

function* measurementLines(g: Gen, o: PlanOrg, p: Provision, y: number, served: number, reported: Ind[]): Generator<string> {
	const r = createRng(hashOf(g.seed, [TAG.measure, o.id, p.svc.id, y]));
	const gap = y === NATIONAL_LAST_YEAR ? (o.latest === 'returned' ? 0.12 : 0.005) : 0.003;
	const erratic = o.profile === 'erratic' && r.chance(0.3) ? o.troubled[r.int(0, o.troubled.length - 1)]! : null;
	for (const ind of reported) {
		if (r.chance(gap)) continue;
		let numerator: number;
		let denominator: number;
		if (ind.code === '3.3') {
			denominator = 1;
			numerator = 1;
		} else {
			denominator = served === 0 ? 0 : SURVEY.has(ind.code) ? Math.max(1, Math.round(served * (0.2 + 0.25 * r.next()))) : served;
			const short = poisson(r, denominator * slipOf(o, ind.code, y, erratic));
			numerator = denominator - Math.min(short, denominator);
		}
		yield `${o.id}\t${p.svc.id}\t${ind.id}\t${y}\t${numerator}\t${denominator}\tdemo\n`;
	}
}

function* complaintLines(g: Gen, o: PlanOrg, p: Provision, y: number, served: number): Generator<string> {
	const r = createRng(hashOf(g.seed, [TAG.complaint, o.id, p.svc.id, y]));
	const troubled = o.profile === 'chronic' || (o.profile === 'worsening' && y >= o.trendYear);
	const n = poisson(r, served * 0.0012 * (troubled ? 3 : 1));
	for (let i = 0; i < n; i++) {
		const received = new Date(Date.UTC(y, 0, 1 + r.int(0, 364)));
		const due = new Date(received.getTime() + 15 * 86_400_000);
		const justified = r.chance(troubled ? 0.55 : 0.35);
		const answered = new Date(received.getTime() + (r.chance(0.88) ? r.int(1, 15) : r.int(16, 40)) * 86_400_000);
		const satisfied = justified ? r.chance(0.85) : r.chance(0.2);
		yield `${o.id}\t${p.svc.id}\t${iso(received)}\t${COMPLAINT_SUMMARIES[r.int(0, COMPLAINT_SUMMARIES.length - 1)]}\t${justified ? 't' : 'f'}\t${iso(due)}\t${iso(answered)}\t${satisfied ? 't' : 'f'}\tt\n`;
	}
}

/** Lines of text for COPY, in chunks of a few hundred kilobytes. */
function* chunked(lines: Iterable<string>, progress?: (rows: number) => void): Generator<string> {
	let buf: string[] = [];
	let rows = 0;
	for (const line of lines) {
		buf.push(line);
		if (buf.length === 4000) {
			rows += buf.length;
			yield buf.join('');
			buf = [];
			progress?.(rows);
		}
	}
	if (buf.length) {
		rows += buf.length;
		yield buf.join('');
		progress?.(rows);
	}
}

const text = (s: string | null) => (s === null ? '\\N' : s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
const num = (n: number | null) => (n === null ? '\\N' : String(n));

/** Everything that provides services, in id order: the units, then the leaves. */
function providers(plan: Plan): PlanOrg[] {
	return [...plan.units.map((u) => u.org), ...plan.orgs].sort((a, b) => a.id - b.id);
}

function* provisionYears(plan: Plan): Generator<[PlanOrg, Provision, number]> {
	for (const o of providers(plan)) {
		for (const p of o.provisions) {
			for (const y of YEARS) if (covers(p.from, p.to, y)) yield [o, p, y];
		}
	}
}

function* measurementTable(g: Gen): Generator<string> {
	const reported = g.plan.indicators.filter((i) => i.source === 'reported');
	for (const [o, p, y] of provisionYears(g.plan)) {
		if (!reportsYear(g, o, y)) continue;
		const served = servedOf(g, o, p, y).reduce((a, b) => a + b, 0);
		yield* measurementLines(g, o, p, y, served, reported);
	}
}

function* volumeTable(g: Gen): Generator<string> {
	for (const [o, p, y] of provisionYears(g.plan)) {
		if (!reportsYear(g, o, y) || volumesMissing(g, o, p, y)) continue;
		const served = servedOf(g, o, p, y);
		for (let c = 0; c < CHANNELS.length; c++) yield `${o.id}\t${p.svc.id}\t${y}\t${CHANNELS[c]}\t${served[c]}\tdemo\n`;
	}
}

function* complaintTable(g: Gen): Generator<string> {
	for (const [o, p, y] of provisionYears(g.plan)) {
		yield* complaintLines(g, o, p, y, servedOf(g, o, p, y).reduce((a, b) => a + b, 0));
	}
}

function* reportingYearTable(g: Gen): Generator<string> {
	for (const o of providers(g.plan)) {
		const head = g.plan.regionHeads[o.region] ?? null;
		for (const y of YEARS) {
			if (!o.provisions.some((p) => covers(p.from, p.to, y)) || !reportsYear(g, o, y)) continue;
			const at = `${y + 1}-03-${pad(1 + (o.id % 28), 2)}T10:00:00Z`;
			const state = y < NATIONAL_LAST_YEAR ? 'approved' : o.latest;
			if (state === 'approved') yield `${o.id}\t${y}\tapproved\tapprove\t\\N\t${num(head)}\t${at}\n`;
			else if (state === 'submitted') yield `${o.id}\t${y}\tsubmitted\tsubmit\t\\N\t\\N\t${at}\n`;
			else if (state === 'returned') yield `${o.id}\t${y}\topen\treturn\t${text(RETURN_REASON)}\t${num(head)}\t${at}\n`;
		}
	}
}

interface TargetSet { id: number; unit: Unit; year: number; approved: boolean; protocolNumber: string | null; protocolDate: string | null; serviceIds: number[] }

function targetSets(g: Gen, firstId: number): TargetSet[] {
	const out: TargetSet[] = [];
	let id = firstId;
	for (const unit of g.plan.units) {
		const byYear = g.plan.members.get(unit.org.id)!;
		for (let y = unit.targetsFrom; y <= TARGET_YEARS_END; y++) {
			const members = byYear.get(y) ?? [];
			const serviceIds = [...new Set(members.flatMap((o) => o.provisions.filter((p) => covers(p.from, p.to, y)).map((p) => p.svc.id)))].sort((a, b) => a - b);
			if (!serviceIds.length) continue;
			const r = createRng(hashOf(g.seed, [TAG.target, unit.org.id, y]));
			const approved = y < TARGET_YEARS_END || r.chance(0.7);
			out.push({
				id: id++, unit, year: y, approved, serviceIds,
				protocolNumber: approved ? `${r.int(1, 40)}/${y - 1}` : null,
				protocolDate: approved ? `${y - 1}-12-${pad(r.int(10, 27), 2)}` : null
			});
		}
	}
	return out;
}

function* targetSetTable(sets: TargetSet[]): Generator<string> {
	for (const s of sets) {
		const approvedAt = s.protocolDate ? `${s.protocolDate}T12:00:00Z` : null;
		yield `${s.id}\t${s.year}\t${s.unit.org.id}\t{${s.serviceIds.join(',')}}\t${s.approved ? 'approved' : 'draft'}\t${text(s.protocolNumber)}\t${text(s.protocolDate)}\t${text(WORKING_GROUP)}\t${s.approved && s.unit.head ? s.unit.head : '\\N'}\t${text(approvedAt)}\t${s.unit.head || '\\N'}\t${s.year - 1}-11-15T09:00:00Z\n`;
	}
}

function* targetTable(g: Gen, sets: TargetSet[]): Generator<string> {
	const inds = g.plan.indicators;
	for (const s of sets) {
		const r = createRng(hashOf(g.seed, [TAG.target, s.unit.org.id, s.year, 1]));
		const raise = new Map<number, boolean>(s.serviceIds.map((id) => [id, r.chance(0.5)]));
		const raise42 = r.chance(0.6);
		const status = s.approved ? 'approved' : 'draft';
		const approvedBy = s.approved && s.unit.head ? String(s.unit.head) : '\\N';
		const approvedAt = s.protocolDate ? `${s.protocolDate}T12:00:00Z` : '\\N';
		const protocol = `${text(s.protocolNumber)}\t${text(s.protocolDate)}`;
		for (const o of g.plan.members.get(s.unit.org.id)!.get(s.year) ?? []) {
			for (const p of o.provisions) {
				if (!covers(p.from, p.to, s.year)) continue;
				for (const ind of inds) {
					const normative = g.normative(p.svc, s.year, ind.code) ?? 100;
					let value = normative;
					let reason: string | null = null;
					if ((ind.code === '3.1' || ind.code === '3.2') && raise.get(p.svc.id)) value = 100;
					else if (ind.code === '4.2' && raise42) value = 100;
					else if (ind.polarity === 'higher_is_better' && normative >= 50 && o.troubled.includes(ind.code)
						&& (o.profile === 'chronic' || (o.profile === 'improving' && s.year <= o.trendYear))
						&& createRng(hashOf(g.seed, [TAG.transitional, o.id, ind.id, s.year])).chance(0.3)) {
						value = normative - 5;
						reason = TRANSITIONAL_REASON;
					}
					yield `${o.id}\t${p.svc.id}\t${ind.id}\t${s.year}\t${value}\t${status}\t${text(reason)}\t${approvedBy}\t${approvedAt}\t${protocol}\t${s.id}\n`;
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------------------------

export function databaseNameOf(url: string): string {
	const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
	if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`seed:national: the database name in DATABASE_URL must be letters, digits and _ (got "${name}")`);
	if (['postgres', 'template0', 'template1'].includes(name)) throw new Error(`seed:national: refusing to seed the "${name}" database: name a dedicated one, e.g. …/sapa_national`);
	return name;
}

async function query<T extends pg.QueryResultRow>(client: pg.Client, text_: string, values: unknown[] = []): Promise<T[]> {
	return (await client.query<T>(text_, values)).rows;
}

/** Why the database cannot take the national data set, or null when it can. */
async function refusal(url: string): Promise<string | null> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		const tables = await query<{ n: number }>(client, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
		if (tables[0]!.n === 0) return null;
		const sapa = await query<{ ok: boolean }>(client, `SELECT to_regclass('public.kysely_migration') IS NOT NULL AND to_regclass('public.measurement') IS NOT NULL AS ok`);
		if (!sapa[0]!.ok) return 'it holds tables that are not Sapa\'s';
		const marker = await query<{ value: unknown }>(client, `SELECT value FROM app_meta WHERE key = $1`, [NATIONAL_MARKER]);
		if (marker.length) return `it already holds the national data set (${JSON.stringify(marker[0]!.value)})`;
		const data = await query<{ what: string }>(client, `
			SELECT 'measurements' AS what WHERE EXISTS (SELECT 1 FROM measurement)
			UNION ALL SELECT 'served volumes' WHERE EXISTS (SELECT 1 FROM service_volume)
			UNION ALL SELECT 'complaints' WHERE EXISTS (SELECT 1 FROM complaint)
			UNION ALL SELECT 'targets' WHERE EXISTS (SELECT 1 FROM target)
			UNION ALL SELECT 'users' WHERE EXISTS (SELECT 1 FROM app_user)
			UNION ALL SELECT 'organizations beyond the catalogue' WHERE EXISTS (SELECT 1 FROM organization WHERE code NOT IN ('KST-EDU', 'RUDNY-EDU', 'RUDNY-SUP-01', 'RUDNY-SUP-02', 'RUDNY-SUP-03'))`);
		return data.length ? `it already holds other data (${data.map((d) => d.what).join(', ')})` : null;
	} finally {
		await client.end();
	}
}

async function prepareDatabase(url: string, name: string, reset: boolean, log: (s: string) => void): Promise<void> {
	const admin = withDatabase(url, 'postgres');
	const client = new pg.Client({ connectionString: admin });
	await client.connect();
	let exists: boolean;
	try {
		exists = (await query(client, `SELECT 1 FROM pg_database WHERE datname = $1`, [name])).length > 0;
	} finally {
		await client.end();
	}
	if (exists && reset) {
		log(`  --reset: dropping database ${name}`);
		await runAdminStatement(admin, `DROP DATABASE "${name}" WITH (FORCE)`);
		exists = false;
	}
	if (!exists) {
		log(`  creating database ${name}`);
		await runAdminStatement(admin, `CREATE DATABASE "${name}"`);
		return;
	}
	const why = await refusal(url);
	if (why) throw new Error(`seed:national: refusing to seed database "${name}": ${why}. Run with --reset to drop and recreate it.`);
}

async function copyInto(client: pg.Client, statement: string, chunks: Iterable<string>): Promise<void> {
	await pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
}

/**
 * Loads a large table with its indexes set aside and built again afterwards (a sort per index
 * instead of millions of insertions): the definitions are read from the catalog, so whatever
 * indexes and unique constraints later migrations add come back exactly as they were. Indexes a
 * foreign key depends on are left in place. Runs inside the caller's transaction.
 */
async function withoutIndexes(client: pg.Client, table: string, load: () => Promise<void>): Promise<void> {
	const indexes = await query<{ name: string; def: string; constraint_name: string | null; constraint_def: string | null }>(client, `
		SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname AS constraint_name, pg_get_constraintdef(c.oid) AS constraint_def
		FROM pg_index i
		LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
		WHERE i.indrelid = $1::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
		ORDER BY c.contype NULLS LAST, 1`, [table]);
	for (const ix of indexes) {
		if (ix.constraint_name) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT "${ix.constraint_name}"`);
		else await client.query(`DROP INDEX ${ix.name}`);
	}
	await load();
	for (const ix of indexes) {
		if (ix.constraint_name) await client.query(`ALTER TABLE ${table} ADD CONSTRAINT "${ix.constraint_name}" ${ix.constraint_def}`);
		else await client.query(ix.def);
	}
}

export async function seedNational(options: NationalOptions): Promise<NationalSummary> {
	const log = options.log ?? ((line: string) => console.log(line));
	const scale = options.scale ?? 1;
	const seed = options.seed ?? 2026;
	if (!(scale > 0 && scale <= 2)) throw new Error('seed:national: --scale must be within (0, 2]');
	const started = performance.now();
	const phases: NationalSummary['phases'] = [];
	let mark = performance.now();
	const phase = (name: string) => {
		const now = performance.now();
		phases.push({ name, ms: now - mark });
		log(`  ${name}: ${((now - mark) / 1000).toFixed(1)} s (total ${((now - started) / 1000).toFixed(0)} s)`);
		mark = now;
	};

	const name = databaseNameOf(options.url);
	await prepareDatabase(options.url, name, options.reset ?? false, log);
	const handle = openPostgres(options.url, { poolMax: 2, applicationName: 'sapa-seed-national' });
	try {
		await migrateToLatest(handle.db, await loadMigrations());
	} finally {
		await handle.close();
	}
	phase('database ready and migrated');

	const client = new pg.Client({ connectionString: options.url, application_name: 'sapa-seed-national' });
	await client.connect();
	const counts: Record<string, number> = {};
	let rootId = 0;
	try {
		const services = await query<{ id: number; code: string; channels: Channel[] }>(client, `SELECT id, code, channels FROM service ORDER BY code`);
		const providedBy = new Map<string, string[]>(catalogueServices.map((s) => [s.code, s.providedBy]));
		const indicators = await query<Ind>(client, `SELECT id, code, source, polarity FROM indicator ORDER BY sort_order`);
		const existing = new Map((await query<{ id: number; code: string }>(client, `SELECT id, code FROM organization`)).map((r) => [r.code, r.id]));
		const maxIds = (await query<{ org: number; std: number; tset: number }>(client,
			`SELECT (SELECT coalesce(max(id), 0) FROM organization)::int AS org, (SELECT coalesce(max(id), 0) FROM standard)::int AS std,
				(SELECT coalesce(max(id), 0) FROM target_set)::int AS tset`))[0]!;
		const catalogue: Catalogue = {
			services: services.map((s) => ({ ...s, providedBy: providedBy.get(s.code) ?? [] })),
			indicators, existing, nextOrgId: maxIds.org + 1, nextStandardId: maxIds.std + 1
		};

		await client.query('BEGIN');
		// Bulk load: no per-row triggers (audit, provision and year-lock checks, compliance marks, FKs).
		await client.query(`SET LOCAL session_replication_role = replica`);
		await client.query(`SET LOCAL synchronous_commit = off`);
		await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
		await client.query(`SET LOCAL work_mem = '64MB'`);
		await client.query(`SELECT set_config('sapa.actor', 'seed:national', true)`);

		// Users first: the heads approve the years and the target sets.
		const passwordHash = await hashPassword(NATIONAL_PASSWORD);
		const draft = buildPlan(catalogue, scale, seed, null);
		const people = [
			{ email: NATIONAL_ADMIN_EMAIL, name: 'Администратор (национальные данные, демо)' },
			...draft.regions.map((r) => ({ email: `head.${r.code.toLowerCase()}@national.sapa.kz`, name: `Руководитель: ${r.nameRu} (демо)` })),
			...draft.units.map((u) => ({ email: `head.${u.org.code.toLowerCase()}@national.sapa.kz`, name: `Руководитель: ${u.org.nameRu} (демо)` }))
		];
		const users = await query<{ id: number; email: string }>(client,
			`INSERT INTO app_user (email, display_name, password_hash, is_demo)
			SELECT e, n, $3, true FROM unnest($1::text[], $2::text[]) AS u(e, n) RETURNING id, email`,
			[people.map((p) => p.email), people.map((p) => p.name), passwordHash]);
		const userId = new Map(users.map((u) => [u.email, u.id]));
		const plan = buildPlan(catalogue, scale, seed, {
			regionHeads: draft.regions.map((r) => userId.get(`head.${r.code.toLowerCase()}@national.sapa.kz`)!),
			unitHeads: new Map(draft.units.map((u) => [u.org.code, userId.get(`head.${u.org.code.toLowerCase()}@national.sapa.kz`)!]))
		});
		rootId = plan.root.id;
		const grants = [
			{ user: userId.get(NATIONAL_ADMIN_EMAIL)!, org: null as number | null, role: 'admin' },
			...plan.regions.map((r, i) => ({ user: plan.regionHeads[i]!, org: r.id, role: 'head' })),
			...plan.units.map((u) => ({ user: u.head, org: u.org.id, role: 'head' }))
		];
		await client.query(`INSERT INTO role_grant (user_id, organization_id, role) SELECT * FROM unnest($1::int[], $2::int[], $3::text[])`,
			[grants.map((g) => g.user), grants.map((g) => g.org), grants.map((g) => g.role)]);
		counts.users = users.length;

		// The tree.
		const inserted = [plan.root, ...plan.regions, ...plan.units.map((u) => u.org), ...plan.orgs].filter((o) => !o.existing);
		const parentNow = (o: PlanOrg) => o.links[o.links.length - 1]!.parent;
		await copyInto(client, `COPY organization (id, code, parent_id, kind, name_kk, name_ru, name_en, bin, active_from, active_to, is_demo, merged_into_id) FROM STDIN`,
			chunked(inserted.map((o) => `${o.id}\t${o.code}\t${num(parentNow(o))}\t${o.kind}\t${text(o.nameKk)}\t${text(o.nameRu)}\t${text(o.nameEn)}\t${text(o.bin)}\t${o.activeFrom}\t${text(o.activeTo)}\tt\t${num(o.mergedInto)}\n`)));
		const placed = [plan.root, ...plan.regions, ...plan.units.map((u) => u.org), ...plan.orgs];
		const existingPlaced = placed.filter((o) => o.existing);
		// The catalogue's organizations join the country: their links are replaced by the plan's.
		for (const o of existingPlaced) await client.query(`UPDATE organization SET parent_id = $2 WHERE id = $1`, [o.id, parentNow(o)]);
		await client.query(`DELETE FROM organization_link WHERE organization_id = ANY ($1::int[])`, [existingPlaced.map((o) => o.id)]);
		await copyInto(client, `COPY organization_link (organization_id, parent_id, year_from, year_to) FROM STDIN`,
			chunked(placed.flatMap((o) => o.links.map((l) => `${o.id}\t${num(l.parent)}\t${l.from}\t${num(l.to)}\n`))));
		await client.query(`SELECT setval(pg_get_serial_sequence('organization', 'id'), (SELECT max(id) FROM organization))`);
		counts.organizations = placed.length;
		counts.regions = plan.regions.length;
		counts.departments = plan.units.length;
		counts.leaves = plan.orgs.length;

		const provs = providers(plan);
		await copyInto(client, `COPY service_provision (organization_id, service_id, year_from, year_to) FROM STDIN`,
			chunked(provs.flatMap((o) => o.provisions.map((p) => `${o.id}\t${p.svc.id}\t${p.from}\t${num(p.to)}\n`))));
		counts.provisions = provs.reduce((n, o) => n + o.provisions.length, 0);

		for (const s of plan.standards) {
			const repealed = s.repeal !== null;
			await client.query(`INSERT INTO standard (id, service_id, act_issuer_kk, act_issuer_ru, act_number, act_date, valid_from, valid_to,
					repeal_issuer_kk, repeal_issuer_ru, repeal_number, repeal_date, is_demo) OVERRIDING SYSTEM VALUE
				VALUES ($1, $2, 'Демо: ойдан шығарылған акт', 'Демо: вымышленный акт', $3, $4, $5, $6, $7, $8, $9, $10, true)`,
				[s.id, s.svc.id, s.actNumber, s.actDate, s.from, s.to, repealed ? 'Демо: ойдан шығарылған акт' : null, repealed ? 'Демо: вымышленный акт' : null,
					s.repeal?.number ?? null, s.repeal?.date ?? null]);
			const codes = Object.keys(s.normatives);
			await client.query(`INSERT INTO standard_normative (standard_id, indicator_id, value)
				SELECT $1, i.id, v FROM unnest($2::text[], $3::numeric[]) AS n(code, v) JOIN indicator i ON i.code = n.code`,
				[s.id, codes, codes.map((c) => s.normatives[c])]);
		}
		await client.query(`SELECT setval(pg_get_serial_sequence('standard', 'id'), (SELECT max(id) FROM standard))`);
		counts.standards = plan.standards.length;
		phase(`tree: ${counts.organizations.toLocaleString('en')} organizations (${counts.regions} regions, ${counts.departments} district and city departments), ${counts.provisions.toLocaleString('en')} provisions, ${counts.users} users`);

		const standardsOf = new Map<number, Plan['standards']>();
		for (const s of plan.standards) (standardsOf.get(s.svc.id) ?? standardsOf.set(s.svc.id, []).get(s.svc.id)!).push(s);
		const g: Gen = {
			seed, plan,
			// The standard in force that year: the latest one starting by its end (queries/standards.ts).
			normative: (svc, year, code) => {
				const inForce = (standardsOf.get(svc.id) ?? [])
					.filter((s) => s.from <= `${year}-12-31` && (s.to === null || s.to >= `${year}-01-01`))
					.sort((a, b) => b.from.localeCompare(a.from))[0];
				return inForce?.normatives[code] ?? null;
			}
		};

		// The figure tables are empty (checked above): truncated here, they take COPY … FREEZE,
		// which writes the rows frozen and all-visible, so no vacuum pass has to touch them again;
		// the large ones are loaded with their indexes built afterwards.
		await client.query(`TRUNCATE measurement, service_volume, complaint, target, reporting_year`);
		const progress = (what: string) => {
			let next = 1_000_000;
			return (rows: number) => {
				if (rows >= next) {
					log(`    ${what}: ${rows.toLocaleString('en')} rows…`);
					next += 1_000_000;
				}
			};
		};
		const rowsOf = async (table: string) => Number((await query<{ n: string }>(client, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

		await withoutIndexes(client, 'measurement', () => copyInto(client,
			`COPY measurement (organization_id, service_id, indicator_id, year, numerator, denominator, source) FROM STDIN WITH (FREEZE)`,
			chunked(measurementTable(g), progress('measurement'))));
		counts.measurements = await rowsOf('measurement');
		phase(`measurement: ${counts.measurements.toLocaleString('en')} rows`);

		await withoutIndexes(client, 'service_volume', () => copyInto(client,
			`COPY service_volume (organization_id, service_id, year, channel, count, source) FROM STDIN WITH (FREEZE)`,
			chunked(volumeTable(g), progress('service_volume'))));
		counts.volumes = await rowsOf('service_volume');
		phase(`service_volume: ${counts.volumes.toLocaleString('en')} rows`);

		await copyInto(client, `COPY complaint (organization_id, service_id, received_on, summary, justified, due_on, answered_on, satisfied, is_demo) FROM STDIN WITH (FREEZE)`,
			chunked(complaintTable(g)));
		counts.complaints = await rowsOf('complaint');
		phase(`complaint: ${counts.complaints.toLocaleString('en')} rows`);

		const sets = targetSets(g, maxIds.tset + 1);
		await copyInto(client, `COPY target_set (id, year, organization_id, service_ids, status, protocol_number, protocol_date, members, approved_by, approved_at, created_by, created_at) FROM STDIN`,
			chunked(targetSetTable(sets)));
		await client.query(`SELECT setval(pg_get_serial_sequence('target_set', 'id'), (SELECT greatest(max(id), 1) FROM target_set))`);
		await withoutIndexes(client, 'target', () => copyInto(client,
			`COPY target (organization_id, service_id, indicator_id, year, value, status, reason, approved_by, approved_at, protocol_number, protocol_date, target_set_id) FROM STDIN WITH (FREEZE)`,
			chunked(targetTable(g, sets), progress('target'))));
		counts.targetSets = sets.length;
		counts.targets = await rowsOf('target');
		phase(`target: ${counts.targets.toLocaleString('en')} rows in ${sets.length.toLocaleString('en')} target sets`);

		await copyInto(client, `COPY reporting_year (organization_id, year, status, last_step, reason, step_by, step_at) FROM STDIN WITH (FREEZE)`,
			chunked(reportingYearTable(g)));
		counts.reportingYears = await rowsOf('reporting_year');
		phase(`reporting_year: ${counts.reportingYears.toLocaleString('en')} rows`);

		// Statistics for the roll-up's plans, then the roll-ups of every year, with triggers back on.
		await client.query(`ANALYZE organization, organization_link, service_provision, standard, standard_normative, measurement, service_volume, complaint, target_set, target, reporting_year`);
		await client.query(`SET LOCAL session_replication_role = origin`);
		phase('analyze');
		const rebuild = (await query<{ ok: boolean }>(client, `SELECT to_regproc('sapa_compliance_rebuild') IS NOT NULL AS ok`))[0]!.ok;
		if (rebuild) {
			for (const y of YEARS) {
				const t = performance.now();
				await client.query(`SELECT sapa_compliance_rebuild($1)`, [y]);
				log(`    compliance roll-up ${y}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
			}
			const dirty = Number((await query<{ n: string }>(client, `SELECT count(*) AS n FROM compliance_dirty`))[0]!.n);
			if (dirty !== 0) throw new Error(`seed:national: compliance_dirty still holds ${dirty} marks after the rebuild`);
			counts.complianceCells = await rowsOf('compliance_cell');
			counts.complianceRollups = await rowsOf('compliance_rollup');
			counts.volumeCells = await rowsOf('volume_cell');
			counts.volumeRollups = await rowsOf('volume_rollup');
			phase(`compliance roll-ups: ${counts.complianceCells.toLocaleString('en')} cells, ${counts.complianceRollups.toLocaleString('en')} roll-up rows`);
		} else {
			log('  (no sapa_compliance_rebuild in this schema: roll-ups not built)');
		}

		await client.query(`INSERT INTO app_meta (key, value) VALUES ($1, $2)`,
			[NATIONAL_MARKER, JSON.stringify({ scale, seed, years: [NATIONAL_FIRST_YEAR, NATIONAL_LAST_YEAR], counts, at: new Date().toISOString() })]);
		await client.query('COMMIT');
		phase('commit');
	} catch (err) {
		await client.query('ROLLBACK').catch(() => {});
		throw err;
	} finally {
		await client.end();
	}

	// Visibility map and fresh statistics for the tables written without FREEZE (index-only scans).
	const vacuum = new pg.Client({ connectionString: options.url, application_name: 'sapa-seed-national' });
	await vacuum.connect();
	try {
		await vacuum.query(`SET maintenance_work_mem = '256MB'`);
		await vacuum.query(`VACUUM (ANALYZE) organization, organization_link, service_provision, target_set, app_user, role_grant, measurement, service_volume, complaint, target, reporting_year`);
		if (counts.complianceCells !== undefined) await vacuum.query(`VACUUM (ANALYZE) compliance_cell, compliance_rollup, volume_cell, volume_rollup, compliance_year`);
		const size = await query<{ size: string }>(vacuum, `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
		phase(`vacuum and analyze (database size ${size[0]!.size})`);
	} finally {
		await vacuum.end();
	}
	return { database: name, scale, seed, counts, rootId, years: YEARS, ms: performance.now() - started, phases };
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function argValue(args: string[], flag: string): string | undefined {
	const i = args.indexOf(flag);
	if (i >= 0) return args[i + 1];
	return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const url = process.env.DATABASE_URL?.trim();
	if (!url) {
		console.error('seed:national needs PostgreSQL: the embedded PGlite database is not meant for 10 million rows.\n'
			+ 'Set DATABASE_URL to a dedicated database (it is created if missing), e.g.\n'
			+ '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapa_national npm run seed:national');
		process.exitCode = 2;
		return;
	}
	const scale = Number(argValue(args, '--scale') ?? 1);
	const seed = Number(argValue(args, '--seed') ?? 2026);
	if (!Number.isFinite(scale) || !Number.isInteger(seed)) {
		console.error('Usage: npm run seed:national -- [--scale 0.05] [--seed N] [--reset]');
		process.exitCode = 2;
		return;
	}
	console.log(`Sapa national data set: scale ${scale} (${Math.round(NATIONAL_ORGANIZATIONS * scale).toLocaleString('en')} organizations), seed ${seed}, years ${NATIONAL_FIRST_YEAR}–${NATIONAL_LAST_YEAR}, into ${new URL(url).pathname.slice(1)}`);
	try {
		const result = await seedNational({ url, scale, seed, reset: args.includes('--reset') });
		console.log(`\nDone in ${(result.ms / 1000).toFixed(0)} s:`);
		for (const [k, v] of Object.entries(result.counts)) console.log(`  ${k.padEnd(18)} ${v.toLocaleString('en').padStart(12)}`);
		console.log(`\nSign in as ${NATIONAL_ADMIN_EMAIL} (password: the demo password, see README); the country root is ${NATIONAL_ROOT_CODE} (id ${result.rootId}).`);
	} catch (err) {
		console.error(err instanceof Error ? err.message : err);
		process.exitCode = 1;
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
