import { allocate } from '../../domain/allocate';
import { makeBin } from '../../domain/bin';
import { createRng, type Rng } from '../../domain/random';
import { regionalStandard, reportFacts } from '../../../../migrations/data/catalogue-v1';
import type { Channel, OrganizationKind, VolumeChannel } from '../db/schema';

/*
 * The demo data set, computed without a database so its promises are testable:
 * the same seed gives the same figures everywhere; the report's published
 * totals (2020 by channel, 2021's most demanded services) hold to the unit;
 * everything invented is marked demo. Breaches and misses are deliberate so
 * a dashboard has something to show.
 */

export const DEMO_YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;
/** Targets exist one year ahead: the annex shows next year's target. */
export const DEMO_TARGET_YEARS = [...DEMO_YEARS, 2026] as const;
const FIRST = DEMO_YEARS[0];

export interface CatalogueForDemo {
	services: Array<{ code: string; channels: Channel[] }>;
	indicators: Array<{ code: string; source: 'reported' | 'complaints_register' }>;
}

export interface DemoOrganization {
	/** parentCode '' for a root. */
	code: string; parentCode: string; kind: OrganizationKind; nameKk: string; nameRu: string; nameEn: string; bin: string;
}
export interface DemoStandard {
	serviceCode: string; actNumber: string; actDate: string; validFrom: string; validTo: string | null;
	repealNumber: string | null; repealDate: string | null; normatives: Record<string, number>;
}
export interface DemoVolume { orgCode: string; serviceCode: string; year: number; channel: VolumeChannel; count: number }
export interface DemoMeasurement { orgCode: string; serviceCode: string; indicatorCode: string; year: number; numerator: number; denominator: number }
export interface DemoComplaint {
	orgCode: string; serviceCode: string; receivedOn: string; dueOn: string; answeredOn: string | null;
	justified: boolean | null; satisfied: boolean | null; summary: string;
}
export interface DemoTarget {
	orgCode: string; serviceCode: string; indicatorCode: string; year: number; value: number;
	status: 'draft' | 'approved'; protocolNumber: string | null; protocolDate: string | null;
}
export interface DemoUser {
	email: string;
	displayName: string;
	grants: Array<{ role: 'admin' | 'head' | 'working_group' | 'operator' | 'viewer'; orgCode: string | null }>;
}

/** One password for every demo account (README): demo mode only, never in a real deployment. */
export const DEMO_PASSWORD = 'sapa-demo-2026';

/** A person for each role, and each relation the access rules must get right. */
export const DEMO_USERS: DemoUser[] = [
	{ email: 'admin@demo.sapa.kz', displayName: 'Администратор (демо)', grants: [{ role: 'admin', orgCode: null }] },
	{ email: 'head.region@demo.sapa.kz', displayName: 'Руководитель управления области (демо)', grants: [{ role: 'head', orgCode: 'KST-EDU' }] },
	{ email: 'head.rudny@demo.sapa.kz', displayName: 'Руководитель отдела образования Рудного (демо)', grants: [{ role: 'head', orgCode: 'RUDNY-EDU' }] },
	{ email: 'wg.rudny@demo.sapa.kz', displayName: 'Рабочая группа Рудного (демо)', grants: [{ role: 'working_group', orgCode: 'RUDNY-EDU' }] },
	{ email: 'operator.school7@demo.sapa.kz', displayName: 'Оператор школы № 7 (демо)', grants: [{ role: 'operator', orgCode: 'RUDNY-SCH-07' }] },
	{ email: 'viewer.rudny@demo.sapa.kz', displayName: 'Наблюдатель по Рудному (демо)', grants: [{ role: 'viewer', orgCode: 'RUDNY-EDU' }] },
	{ email: 'head.other@demo.sapa.kz', displayName: 'Руководитель другой области (демо)', grants: [{ role: 'head', orgCode: 'ALT-EDU' }] }
];

export interface DemoPlan {
	users: DemoUser[];
	organizations: DemoOrganization[];
	provisions: Array<{ orgCode: string; serviceCode: string; yearFrom: number }>;
	standards: DemoStandard[];
	volumes: DemoVolume[];
	measurements: DemoMeasurement[];
	complaints: DemoComplaint[];
	targets: DemoTarget[];
}

const CITY = 'RUDNY-EDU';
const SUPPLEMENTARY = ['RUDNY-SUP-01', 'RUDNY-SUP-02', 'RUDNY-SUP-03'];
const servicesOf: Record<'city' | 'school' | 'kindergarten' | 'supplementary', string[]> = {
	city: ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08', 'S09', 'S10', 'S11'],
	school: ['S13', 'S15', 'S16', 'S17', 'S18', 'S19', 'S20', 'S21'],
	kindergarten: ['S12', 'S13'],
	supplementary: ['S13', 'S14']
};

/** Yearly demand for the whole city, before scaling to the report's totals. */
const baseDemand: Record<string, number> = {
	S01: 25, S02: 300, S03: 260, S04: 1400, S05: 40, S06: 8, S07: 15, S08: 12, S09: 10, S10: 4, S11: 20,
	S12: 1150, S13: 180, S14: 1290, S15: 30, S16: 350, S17: 6, S18: 420, S19: 1840, S20: 110, S21: 2000
};
const yearFactor: Record<number, number> = { 2019: 0.93, 2020: 1, 2021: 1.04, 2022: 1.07, 2023: 1.1, 2024: 1.12, 2025: 1.15 };

/** The volume channels a service is counted in, from the channels its standard names. */
export function volumeChannels(channels: Channel[]): VolumeChannel[] {
	const out: VolumeChannel[] = [];
	if (channels.some((c) => c === 'state_body' || c === 'local_executive_body' || c === 'education_org')) out.push('provider');
	if (channels.includes('state_corporation')) out.push('state_corporation');
	if (channels.includes('egov')) out.push('egov');
	return out;
}
const channelWeight: Record<VolumeChannel, number> = { provider: 0.25, state_corporation: 0.05, egov: 0.7 };

function demoOrganizations(rng: Rng): DemoOrganization[] {
	const out: DemoOrganization[] = [];
	let serial = 1;
	const bin = () => {
		for (;;) {
			const candidate = makeBin(`990140${String(serial++).padStart(5, '0')}`);
			if (candidate) return candidate;
		}
	};
	for (let n = 1; n <= reportFacts.schools; n++) {
		out.push({
			code: `RUDNY-SCH-${String(n).padStart(2, '0')}`, parentCode: CITY, kind: 'school', bin: bin(),
			nameRu: `Средняя школа № ${n} (демо)`, nameKk: `№ ${n} жалпы орта білім беретін мектеп (демо)`, nameEn: `Secondary school No. ${n} (demo)`
		});
	}
	for (let n = 1; n <= reportFacts.kindergartens; n++) {
		out.push({
			code: `RUDNY-KG-${String(n).padStart(2, '0')}`, parentCode: CITY, kind: 'kindergarten', bin: bin(),
			nameRu: `Ясли-сад № ${n} (демо)`, nameKk: `№ ${n} бөбекжай-бақша (демо)`, nameEn: `Kindergarten No. ${n} (demo)`
		});
	}
	// A sibling city of Rudny and a second region, without figures: they exist so that access
	// rules can be seen (and tested) to keep each department to its own subtree.
	out.push(
		{ code: 'LIS-EDU', parentCode: 'KST-EDU', kind: 'city_department', bin: bin(), nameRu: 'Отдел образования города Лисаковска (демо)', nameKk: 'Лисаков қаласының білім бөлімі (демо)', nameEn: 'Lisakovsk city education department (demo)' },
		{ code: 'LIS-SCH-01', parentCode: 'LIS-EDU', kind: 'school', bin: bin(), nameRu: 'Средняя школа № 1 г. Лисаковска (демо)', nameKk: 'Лисаков қ. № 1 жалпы орта білім беретін мектеп (демо)', nameEn: 'Lisakovsk secondary school No. 1 (demo)' },
		{ code: 'ALT-EDU', parentCode: '', kind: 'region_department', bin: bin(), nameRu: 'Управление образования Демо-области (демо)', nameKk: 'Демо облысының білім басқармасы (демо)', nameEn: 'Education department of Demo region (demo)' },
		{ code: 'ALT-SCH-01', parentCode: 'ALT-EDU', kind: 'school', bin: bin(), nameRu: 'Школа Демо-области № 1 (демо)', nameKk: 'Демо облысының № 1 мектебі (демо)', nameEn: 'Demo region school No. 1 (demo)' }
	);
	void rng;
	return out;
}

function providers(orgs: DemoOrganization[]): Map<string, string[]> {
	const byService = new Map<string, string[]>();
	const add = (org: string, services: string[]) => {
		for (const s of services) byService.set(s, [...(byService.get(s) ?? []), org]);
	};
	add(CITY, servicesOf.city);
	for (const o of orgs.filter((x) => x.code.startsWith('RUDNY-'))) add(o.code, o.kind === 'school' ? servicesOf.school : servicesOf.kindergarten);
	for (const o of SUPPLEMENTARY) add(o, servicesOf.supplementary);
	return byService;
}

function demoStandards(services: string[]): DemoStandard[] {
	const n = regionalStandard.normatives;
	return services.flatMap((code): DemoStandard[] => {
		const base = { serviceCode: code, actDate: '2018-12-20', repealNumber: null, repealDate: null };
		if (code !== 'S04') return [{ ...base, actNumber: `ДЕМО-${code}-2019`, validFrom: '2019-01-01', validTo: null, normatives: { ...n } }];
		// One service changes standard mid-series, so compliance must pick the standard of each year.
		return [
			{ ...base, actNumber: 'ДЕМО-S04-2019', validFrom: '2019-01-01', validTo: '2021-12-31', repealNumber: 'ДЕМО-S04-2022', repealDate: '2022-01-01', normatives: { ...n, '3.1': 95, '3.2': 97 } },
			{ ...base, actNumber: 'ДЕМО-S04-2022', actDate: '2021-12-15', validFrom: '2022-01-01', validTo: null, normatives: { ...n } }
		];
	});
}

/** Service totals per year; 2020 meets the report's channel totals, 2021 its five most demanded services. */
function demoVolumes(catalogue: CatalogueForDemo, byService: Map<string, string[]>, rng: Rng): DemoVolume[] {
	const services = catalogue.services.filter((s) => byService.has(s.code));
	const out: DemoVolume[] = [];
	const orgWeight = new Map<string, number>();
	const weightOf = (org: string) => {
		if (!orgWeight.has(org)) orgWeight.set(org, 0.5 + rng.next());
		return orgWeight.get(org)!;
	};
	const spread = (serviceCode: string, year: number, channel: VolumeChannel, total: number) => {
		const orgs = byService.get(serviceCode)!;
		allocate(total, orgs.map(weightOf)).forEach((count, i) => out.push({ orgCode: orgs[i]!, serviceCode, year, channel, count }));
	};
	const fixed2021 = new Map<string, number>(reportFacts.mostDemanded2021.map((m) => [m.serviceCode, m.count]));
	for (const year of DEMO_YEARS) {
		if (year === 2020) {
			const f = reportFacts.year2020;
			const totals: Record<VolumeChannel, number> = { provider: f.provider, state_corporation: f.stateCorporation, egov: f.electronic };
			for (const channel of ['provider', 'state_corporation', 'egov'] as const) {
				const eligible = services.filter((s) => volumeChannels(s.channels).includes(channel));
				const parts = allocate(totals[channel], eligible.map((s) => baseDemand[s.code]! * (0.8 + 0.4 * rng.next())));
				eligible.forEach((s, i) => spread(s.code, year, channel, parts[i]!));
			}
			continue;
		}
		for (const s of services) {
			const channels = volumeChannels(s.channels);
			const total = year === 2021 && fixed2021.has(s.code)
				? fixed2021.get(s.code)!
				: Math.round(baseDemand[s.code]! * yearFactor[year]! * (0.9 + 0.2 * rng.next()));
			// E-government takes a growing share over the years.
			const drift = (year - FIRST) * 0.03;
			const parts = allocate(total, channels.map((c) => channelWeight[c] + (c === 'egov' ? drift : 0)));
			channels.forEach((c, i) => spread(s.code, year, c, parts[i]!));
		}
	}
	return out;
}

type Profile = 'steady' | 'slipping' | 'improving';

/** Counts behind each reported indicator, from the served volume and the organization's profile. */
function demoMeasurements(catalogue: CatalogueForDemo, volumes: DemoVolume[], rng: Rng): DemoMeasurement[] {
	const served = new Map<string, number>();
	for (const v of volumes) {
		const k = `${v.orgCode}|${v.serviceCode}|${v.year}`;
		served.set(k, (served.get(k) ?? 0) + v.count);
	}
	const profiles = new Map<string, Profile>();
	const profileOf = (org: string): Profile => {
		if (!profiles.has(org)) profiles.set(org, rng.chance(0.15) ? 'slipping' : rng.chance(0.15) ? 'improving' : 'steady');
		return profiles.get(org)!;
	};
	const reported = catalogue.indicators.filter((i) => i.source === 'reported').map((i) => i.code);
	const survey = new Set(['1.2', '2.1', '3.1', '4.3', '4.4', '5.1']);
	const out: DemoMeasurement[] = [];
	for (const [key, total] of served) {
		if (total === 0) continue;
		const [orgCode, serviceCode, y] = key.split('|') as [string, string, string];
		const year = Number(y);
		const profile = profileOf(orgCode);
		const t = (year - FIRST) / (DEMO_YEARS.length - 1);
		// Chance that a given case or answer falls short: small, and shaped by the profile over time.
		const slip = profile === 'slipping' ? 0.002 + 0.02 * t : profile === 'improving' ? 0.02 * (1 - t) : 0.0003;
		for (const code of reported) {
			if (code === '3.3') {
				out.push({ orgCode, serviceCode, indicatorCode: code, year, numerator: 1, denominator: 1 });
				continue;
			}
			const denominator = survey.has(code) ? Math.max(1, Math.round(total * (0.2 + 0.2 * rng.next()))) : total;
			const extra = code === '3.1' || code === '3.2' ? 0.006 : 0;
			let short = 0;
			for (let i = 0; i < denominator && i < 400; i++) if (rng.chance(Math.min(0.5, slip + extra))) short++;
			if (denominator > 400) short = Math.round((short * denominator) / 400);
			out.push({ orgCode, serviceCode, indicatorCode: code, year, numerator: denominator - Math.min(short, denominator), denominator });
		}
	}
	return out;
}

/** The report says there were no complaints in 2020–2021; later years have a few. */
function demoComplaints(byService: Map<string, string[]>, rng: Rng): DemoComplaint[] {
	const perYear: Record<number, number> = { 2019: 1, 2020: 0, 2021: 0, 2022: 2, 2023: 3, 2024: 2, 2025: 2 };
	const services = [...byService.keys()].sort();
	const out: DemoComplaint[] = [];
	const iso = (d: Date) => d.toISOString().slice(0, 10);
	for (const year of DEMO_YEARS) {
		for (let n = 0; n < perYear[year]!; n++) {
			const serviceCode = rng.pick(services);
			const orgCode = rng.pick(byService.get(serviceCode)!);
			const received = new Date(Date.UTC(year, rng.int(0, 10), rng.int(1, 28)));
			const due = new Date(received.getTime() + 7 * 86_400_000);
			const justified = year === 2019 ? false : rng.chance(0.6);
			const late = rng.chance(0.3);
			const answered = new Date(received.getTime() + (late ? 12 : rng.int(2, 6)) * 86_400_000);
			const open = year === 2025 && n === perYear[year]! - 1;
			out.push({
				orgCode, serviceCode, receivedOn: iso(received), dueOn: iso(due),
				answeredOn: open ? null : iso(answered), justified: open ? null : justified,
				satisfied: open ? null : justified, summary: `Демо-жалоба ${year}-${n + 1}`
			});
		}
	}
	return out;
}

/** Mostly the normative; 3.1 and 3.2 often raised to 100 as in the seed annex. 2026 is partly still a draft. */
function demoTargets(catalogue: CatalogueForDemo, provisions: DemoPlan['provisions'], orgKinds: Map<string, OrganizationKind>, rng: Rng): DemoTarget[] {
	const out: DemoTarget[] = [];
	for (const year of DEMO_TARGET_YEARS) {
		const protocolNumber = `ДЕМО-${year - 1}/${rng.int(1, 30)}`;
		const protocolDate = `${year - 1}-12-${String(rng.int(10, 27)).padStart(2, '0')}`;
		for (const p of provisions) {
			const draft = year === 2026 && (orgKinds.get(p.orgCode) === 'kindergarten' || p.orgCode.startsWith('RUDNY-SUP'));
			for (const i of catalogue.indicators) {
				const normative = regionalStandard.normatives[i.code] ?? 100;
				const raised = (i.code === '3.1' || i.code === '3.2') && rng.chance(0.5);
				out.push({
					orgCode: p.orgCode, serviceCode: p.serviceCode, indicatorCode: i.code, year,
					value: raised ? 100 : normative, status: draft ? 'draft' : 'approved',
					protocolNumber: draft ? null : protocolNumber, protocolDate: draft ? null : protocolDate
				});
			}
		}
	}
	return out;
}

export function buildDemoPlan(catalogue: CatalogueForDemo, seed = 20201): DemoPlan {
	const rng = createRng(seed);
	const organizations = demoOrganizations(rng);
	const byService = providers(organizations);
	const provisions = [...byService].flatMap(([serviceCode, orgs]) => orgs.map((orgCode) => ({ orgCode, serviceCode, yearFrom: FIRST })));
	const volumes = demoVolumes(catalogue, byService, rng);
	const orgKinds = new Map<string, OrganizationKind>(organizations.map((o) => [o.code, o.kind]));
	for (const s of SUPPLEMENTARY) orgKinds.set(s, 'supplementary');
	orgKinds.set(CITY, 'city_department');
	return {
		users: DEMO_USERS,
		organizations,
		provisions,
		standards: demoStandards([...byService.keys()].sort()),
		volumes,
		measurements: demoMeasurements(catalogue, volumes, rng),
		complaints: demoComplaints(byService, rng),
		targets: demoTargets(catalogue, provisions, orgKinds, rng)
	};
}
