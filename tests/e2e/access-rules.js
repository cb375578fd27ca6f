// The access rules the matrix checks, restated from the domain so the test does not trust the
// code it checks: what each role may do, how an organization relates to a grant, and every
// page, action and endpoint with what it needs.

/** Role × action (src/lib/domain/permissions.ts): only the actions some page needs. */
export const MAY = {
	// 'global admin': the shared catalogue (services, standards, indicators); the demo admin's grant is global.
	// 'year.step': submit (operator) or approve / return / reopen (head, only above the organization: see expected()).
	admin:         { read: true, 'users.manage': true,  'audit.read': true,  'catalogue.manage': true,  'global admin': true,
	                 'figures.write': true,  'year.submit': true,  'year.approve': true, 'year.step': true, 'targets.draft': true, 'targets.approve': true },
	head:          { read: true, 'users.manage': true,  'audit.read': false, 'catalogue.manage': false, 'global admin': false,
	                 'figures.write': false, 'year.submit': false, 'year.approve': true, 'year.step': true, 'targets.draft': false, 'targets.approve': false },
	working_group: { read: true, 'users.manage': false, 'audit.read': false, 'catalogue.manage': false, 'global admin': false,
	                 'figures.write': false, 'year.submit': false, 'year.approve': false, 'year.step': false, 'targets.draft': true, 'targets.approve': true },
	operator:      { read: true, 'users.manage': false, 'audit.read': false, 'catalogue.manage': false, 'global admin': false,
	                 'figures.write': true,  'year.submit': true,  'year.approve': false, 'year.step': true, 'targets.draft': false, 'targets.approve': false },
	viewer:        { read: true, 'users.manage': false, 'audit.read': false, 'catalogue.manage': false, 'global admin': false,
	                 'figures.write': false, 'year.submit': false, 'year.approve': false, 'year.step': false, 'targets.draft': false, 'targets.approve': false }
};

/** The part of the demo tree the matrix aims at: organization → parent. */
const PARENT = /** @type {Record<string, string | null>} */ ({
	'KST-EDU': null, 'RUDNY-EDU': 'KST-EDU', 'RUDNY-SCH-07': 'RUDNY-EDU', 'RUDNY-SCH-08': 'RUDNY-EDU',
	'LIS-EDU': 'KST-EDU', 'LIS-SCH-01': 'LIS-EDU', 'ALT-EDU': null, 'ALT-SCH-01': 'ALT-EDU'
});
const CODES = Object.keys(PARENT);
/** @param {string} c @returns {string[]} the organization and its ancestors, root last */
const chain = (c) => (PARENT[c] ? [c, ...chain(/** @type {string} */ (PARENT[c]))] : [c]);

/** A grant reaches its organization's whole subtree; a global grant reaches everything. */
export const IN_SCOPE = new Set(['own', 'descendant', 'whole system']);

/** For a grant on `g`: the organization to aim at in each relation, where the demo tree has one. */
export const PICK = /** @type {Record<string, (g: string) => string | null | undefined>} */ ({
	own: (g) => g,
	descendant: (g) => CODES.find((c) => PARENT[c] === g),
	ancestor: (g) => PARENT[g],
	sibling: (g) => PARENT[g] && CODES.find((c) => c !== g && PARENT[c] === PARENT[g]),
	'another region': (g) => CODES.find((c) => chain(c).at(-1) !== chain(g).at(-1) && PARENT[c] !== null)
});
/** What a global admin is aimed at: the region root, a school, another region's school. */
export const GLOBAL_PICKS = ['KST-EDU', 'RUDNY-SCH-07', 'ALT-SCH-01'];

/**
 * How a grant on `from` (null: global) relates to organization `to` (null: a global grant).
 * @param {string | null} from
 * @param {string | null} to
 */
export function relation(from, to) {
	if (from === null) return 'whole system';
	if (to === null) return 'global grant';
	for (const c of [from, to]) if (!(c in PARENT)) throw new Error(`the matrix does not place ${c} in the tree: add it to PARENT`);
	if (from === to) return 'own';
	if (chain(to).includes(from)) return 'descendant';
	if (chain(from).includes(to)) return 'ancestor';
	if (PARENT[from] && PARENT[from] === PARENT[to]) return 'sibling';
	return chain(from).at(-1) === chain(to).at(-1) ? 'cousin' : 'another region';
}

/** A form post let through: done (200, 303) or its deliberately empty input refused (400). */
export const FORM = 'form';

/**
 * need: the permission ('public': open to all; null: any session). target: aimed at an
 * organization, a person or a target set ('[set]': a demo set, placed by its root organization), so scope counts. ok: the status of success (signedIn: when a
 * session changes it). form: the body ('[id]': the organization aimed at, '[n]': a fresh number). ends: signs out, so run once on a fresh session at the end.
 * changes: alters the person; when allowed it runs only in the last, dedicated test.
 * @typedef {{ group: string, route: string, method: 'GET' | 'POST', url: string, need: string | null,
 *   ok: number | string, show?: string, signedIn?: number, target?: 'org' | 'user' | 'set', form?: Record<string, string>,
 *   ends?: boolean, changes?: boolean }} Cell
 */
/** @type {Cell[]} */
export const CELLS = [
	{ group: 'pages', route: '/', method: 'GET', url: '/', need: null, ok: 307 },
	{ group: 'pages', route: '/annex', method: 'GET', url: '/annex', need: 'read', ok: 200 },
	{ group: 'pages', route: '/annex', method: 'GET', url: '/annex?org=[id]', need: 'read', target: 'org', ok: 200 },
	{ group: 'pages', route: '/account', method: 'GET', url: '/account', need: 'read', ok: 200 },
	{ group: 'pages', route: '/login', method: 'GET', url: '/login', need: 'public', ok: 200, signedIn: 303 },
	{ group: 'pages', route: '/locale', method: 'POST', url: '/locale', need: 'public', ok: 303, form: { locale: 'ru', redirect: '/annex' } },
	// Probes for load balancers and process managers: open to all, session or not.
	{ group: 'pages', route: '/healthz', method: 'GET', url: '/healthz', need: 'public', ok: 200 },
	{ group: 'pages', route: '/readyz', method: 'GET', url: '/readyz', need: 'public', ok: 200 },
	{ group: 'pages', route: '/logout', method: 'POST', url: '/logout', need: null, ok: 303, ends: true },
	{ group: 'pages', route: '/account', method: 'POST', url: '/account?/signOutEverywhere', need: 'read', ok: 303, ends: true },
	{ group: 'user admin', route: '/admin/users', method: 'GET', url: '/admin/users', need: 'users.manage', ok: 200 },
	{ group: 'user admin', route: '/admin/users/new', method: 'GET', url: '/admin/users/new', need: 'users.manage', ok: 200 },
	{ group: 'user admin', route: '/admin/users/new', method: 'POST', url: '/admin/users/new', need: 'users.manage', ok: FORM },
	// Creating a viewer at an organization: the organization must be in the manager's scope.
	{ group: 'user admin', route: '/admin/users/new', method: 'POST', url: '/admin/users/new', need: 'users.manage', target: 'org', ok: 303, show: '/admin/users/new (a viewer at [id])',
		form: { email: 'matrix-[n]@example.test', displayName: 'Matrix test [n]', password: '', role: 'viewer', organization: '[id]' } },
	{ group: 'user admin', route: '/admin/users/[id]', method: 'GET', url: '/admin/users/[id]', need: 'users.manage', target: 'user', ok: 200 },
	...['unlock', 'enable', 'grant', 'revoke', 'disable', 'resetPassword'].map((action) => /** @type {Cell} */ ({
		group: 'user admin', route: '/admin/users/[id]', method: 'POST', url: `/admin/users/[id]?/${action}`,
		need: 'users.manage', target: 'user', ok: FORM, changes: action === 'disable' || action === 'resetPassword'
	})),
	{ group: 'audit', route: '/admin/audit', method: 'GET', url: '/admin/audit', need: 'audit.read', ok: 200 },
	// The catalogue: admins only; an organization aimed at must be in the admin's subtree.
	{ group: 'catalogue', route: '/admin/assignments', method: 'GET', url: '/admin/assignments', need: 'catalogue.manage', ok: 200 },
	{ group: 'catalogue', route: '/admin/assignments', method: 'GET', url: '/admin/assignments?org=[id]', need: 'catalogue.manage', target: 'org', ok: 200 },
	...['add', 'change', 'bulk'].map((action) => /** @type {Cell} */ ({
		group: 'catalogue', route: '/admin/assignments', method: 'POST', url: `/admin/assignments?/${action}`, need: 'catalogue.manage', ok: FORM
	})),
	{ group: 'catalogue', route: '/admin/organizations/import', method: 'GET', url: '/admin/organizations/import', need: 'catalogue.manage', ok: 200 },
	...['preview', 'commit'].map((action) => /** @type {Cell} */ ({
		group: 'catalogue', route: '/admin/organizations/import', method: 'POST', url: `/admin/organizations/import?/${action}`, need: 'catalogue.manage', ok: FORM
	})),
	{ group: 'catalogue', route: '/admin/organizations/export.xlsx', method: 'GET', url: '/admin/organizations/export.xlsx', need: 'catalogue.manage', ok: 200 },
	{ group: 'catalogue', route: '/admin/organizations/export.csv', method: 'GET', url: '/admin/organizations/export.csv', need: 'catalogue.manage', ok: 200 },
	{ group: 'catalogue', route: '/admin/organizations', method: 'GET', url: '/admin/organizations', need: 'catalogue.manage', ok: 200 },
	{ group: 'catalogue', route: '/admin/organizations/new', method: 'GET', url: '/admin/organizations/new', need: 'catalogue.manage', ok: 200 },
	{ group: 'catalogue', route: '/admin/organizations/new', method: 'POST', url: '/admin/organizations/new', need: 'catalogue.manage', ok: FORM },
	{ group: 'catalogue', route: '/admin/organizations/[id]', method: 'GET', url: '/admin/organizations/[id]', need: 'catalogue.manage', target: 'org', ok: 200 },
	...['edit', 'move', 'close', 'merge'].map((action) => /** @type {Cell} */ ({
		group: 'catalogue', route: '/admin/organizations/[id]', method: 'POST', url: `/admin/organizations/[id]?/${action}`, need: 'catalogue.manage', target: 'org', ok: FORM
	})),
	// Ids 1 are the first service (S01) and the first indicator (1.1) the catalogue migration adds.
	{ group: 'catalogue', route: '/admin/services', method: 'GET', url: '/admin/services', need: 'global admin', ok: 200 },
	{ group: 'catalogue', route: '/admin/services/[id]', method: 'GET', url: '/admin/services/1', need: 'global admin', ok: 200 },
	...['save', 'standard', 'repeal'].map((action) => /** @type {Cell} */ ({
		group: 'catalogue', route: '/admin/services/[id]', method: 'POST', url: `/admin/services/1?/${action}`, need: 'global admin', ok: FORM
	})),
	{ group: 'catalogue', route: '/admin/indicators', method: 'GET', url: '/admin/indicators', need: 'global admin', ok: 200 },
	{ group: 'catalogue', route: '/admin/indicators/[id]', method: 'GET', url: '/admin/indicators/1', need: 'global admin', ok: 200 },
	{ group: 'catalogue', route: '/admin/indicators/[id]', method: 'POST', url: '/admin/indicators/1?/save', need: 'global admin', ok: FORM },
	// The entry grid of a year (2025: the demo's latest, at every stage). An empty save changes nothing (200);
	// an empty step is refused as input (400) once the person may take some step there.
	{ group: 'figures', route: '/figures/[org]/[year]', method: 'GET', url: '/figures/[id]/2025', need: 'read', target: 'org', ok: 200 },
	{ group: 'figures', route: '/figures/[org]/[year]', method: 'POST', url: '/figures/[id]/2025?/save', need: 'figures.write', target: 'org', ok: FORM },
	{ group: 'figures', route: '/figures/[org]/[year]', method: 'POST', url: '/figures/[id]/2025?/step', need: 'year.step', target: 'org', ok: FORM },
	// The complaints register of a year: reading needs read; each write figures.write. Empty posts are refused as input (400).
	{ group: 'figures', route: '/figures/[org]/[year]/complaints', method: 'GET', url: '/figures/[id]/2025/complaints', need: 'read', target: 'org', ok: 200 },
	...['add', 'edit', 'close', 'delete'].map((action) => /** @type {Cell} */ ({
		group: 'figures', route: '/figures/[org]/[year]/complaints', method: 'POST', url: `/figures/[id]/2025/complaints?/${action}`,
		need: 'figures.write', target: 'org', ok: FORM
	})),
	// The completeness overview (defaults: the person's top organization, last year) and a year's history of changes.
	{ group: 'figures', route: '/figures', method: 'GET', url: '/figures', need: 'read', ok: 200 },
	{ group: 'figures', route: '/figures', method: 'GET', url: '/figures?org=[id]', need: 'read', target: 'org', ok: 200 },
	{ group: 'figures', route: '/figures/[org]/[year]/history', method: 'GET', url: '/figures/[id]/2024/history', need: 'read', target: 'org', ok: 200 },
	// The spreadsheet import: the form and its upload need figures.write (an empty upload is refused as input, 400);
	// the template needs read on the organization aimed at. A batch belongs to its uploader (or a global admin):
	// a made-up batch id is 404 for everyone signed in, page, actions and progress alike.
	{ group: 'figures import', route: '/figures/import', method: 'GET', url: '/figures/import', need: 'figures.write', ok: 200 },
	{ group: 'figures import', route: '/figures/import', method: 'GET', url: '/figures/import?org=[id]', need: 'figures.write', target: 'org', ok: 200 },
	{ group: 'figures import', route: '/figures/import', method: 'POST', url: '/figures/import?/preview', need: 'figures.write', ok: FORM },
	{ group: 'figures import', route: '/figures/import/template', method: 'GET', url: '/figures/import/template?org=[id]&year=2024&format=csv', need: 'read', target: 'org', ok: 200 },
	{ group: 'figures import', route: '/figures/import/[batch]', method: 'GET', url: '/figures/import/999999999', need: null, ok: 404 },
	...['commit', 'discard'].map((action) => /** @type {Cell} */ ({
		group: 'figures import', route: '/figures/import/[batch]', method: 'POST', url: `/figures/import/999999999?/${action}`, need: null, ok: 404
	})),
	{ group: 'figures import', route: '/figures/import/[batch]/progress', method: 'GET', url: '/figures/import/999999999/progress', need: null, ok: 404 },
	// The working group's targets. The list (default: next year) and its "new set" form (empty: refused as input, 400);
	// the editor of a demo set rooted at RUDNY-EDU (target 'set': aimed through its root, see access-matrix.e2e.js):
	// reading needs read, editing targets.draft, approving and reopening targets.approve. Empty posts change nothing
	// (save: 200, or 400 on an approved set) or are refused as input (400). A made-up set is 404.
	{ group: 'targets', route: '/targets', method: 'GET', url: '/targets', need: 'read', ok: 200 },
	{ group: 'targets', route: '/targets', method: 'GET', url: '/targets?org=[id]&year=2026', need: 'read', target: 'org', ok: 200 },
	{ group: 'targets', route: '/targets', method: 'POST', url: '/targets?/create', need: 'targets.draft', ok: FORM },
	{ group: 'targets', route: '/targets/[id]', method: 'GET', url: '/targets/[set]', need: 'read', target: 'set', ok: 200 },
	...['save', 'bulk'].map((action) => /** @type {Cell} */ ({
		group: 'targets', route: '/targets/[id]', method: 'POST', url: `/targets/[set]?/${action}`, need: 'targets.draft', target: 'set', ok: FORM
	})),
	...['approve', 'reopen'].map((action) => /** @type {Cell} */ ({
		group: 'targets', route: '/targets/[id]', method: 'POST', url: `/targets/[set]?/${action}`, need: 'targets.approve', target: 'set', ok: FORM
	})),
	{ group: 'targets', route: '/targets/[id]', method: 'GET', url: '/targets/999999999', need: 'read', ok: 404 },
	{ group: 'targets', route: '/targets/[id]', method: 'POST', url: '/targets/999999999?/save', need: 'targets.draft', ok: 404 },
	// The dashboard: read on the organization whose subtree it shows (its own top one when none is named).
	{ group: 'dashboard', route: '/dashboard', method: 'GET', url: '/dashboard', need: 'read', ok: 200 },
	{ group: 'dashboard', route: '/dashboard', method: 'GET', url: '/dashboard?org=[id]', need: 'read', target: 'org', ok: 200 },
	// The evidence behind one dashboard figure: read on the organization. An incomplete address is refused as input (400)
	// for anyone who may read at all. Aimed at an organization, a cell that does not exist (a service nobody provides) is
	// 404 in scope and out of it alike, and neither shows the organization: the demo tree has no service that every
	// organization aimed at provides (departments above Rudny provide none), so a 200 cannot be asked of all of them here.
	{ group: 'dashboard', route: '/dashboard/evidence', method: 'GET', url: '/dashboard/evidence', need: 'read', ok: 400 },
	{ group: 'dashboard', route: '/dashboard/evidence', method: 'GET', url: '/dashboard/evidence?org=[id]&service=999999999&indicator=1.1&year=2024', need: 'read', target: 'org', ok: 404 },
	// The compliance tables: read on the organization (the person's top one when none is named); the file is streamed
	// (a 200 XLSX is zipped, so the leak check aims the file with a bad format: 400 in scope, 404 outside it).
	// The annex table as a file: read on the organization; aimed with a bad format (400 in scope, 404 outside it).
	{ group: 'pages', route: '/annex/export', method: 'GET', url: '/annex/export?org=[id]&year=2024&format=pdf', need: 'read', target: 'org', ok: 400 },
	{ group: 'dashboard', route: '/dashboard/export', method: 'GET', url: '/dashboard/export?format=csv', need: 'read', ok: 200 },
	{ group: 'dashboard', route: '/dashboard/export', method: 'GET', url: '/dashboard/export?org=[id]&format=pdf', need: 'read', target: 'org', ok: 400 },
	{ group: 'dashboard', route: '/dashboard/print', method: 'GET', url: '/dashboard/print?org=[id]&year=2024', need: 'read', target: 'org', ok: 200 },
	// The annual report on public services: read on the organization (the person's department when none is named). Made for
	// departments: aimed at another kind (a school) the page says so (200, with the organization's name). Its DOCX is
	// zipped, so a 200 could not show the organization's name to the leak check: the download is aimed with a bad year,
	// refused as input (400) in scope and 404 outside it (the organization is checked first).
	{ group: 'reports', route: '/reports/annual', method: 'GET', url: '/reports/annual', need: 'read', ok: 200 },
	{ group: 'reports', route: '/reports/annual', method: 'GET', url: '/reports/annual?org=[id]&year=2020&lang=kk', need: 'read', target: 'org', ok: 200 },
	{ group: 'reports', route: '/reports/annual/docx', method: 'GET', url: '/reports/annual/docx?org=[id]&year=1', need: 'read', target: 'org', ok: 400 },
	// The large export of every cell of a subtree: read on the organization (the person's top one when none is named).
	// Starting a job is a form post; aimed with a bad format it is refused as input (400) in scope and 404 outside it
	// (the organization is checked first), so the matrix starts no jobs. A job is its owner's alone: a made-up id is
	// 404 for everyone signed in, page, status and file alike.
	{ group: 'exports', route: '/exports/cells', method: 'GET', url: '/exports/cells', need: 'read', ok: 200 },
	{ group: 'exports', route: '/exports/cells', method: 'GET', url: '/exports/cells?org=[id]', need: 'read', target: 'org', ok: 200 },
	{ group: 'exports', route: '/exports/cells', method: 'POST', url: '/exports/cells?org=[id]&format=pdf', need: 'read', target: 'org', ok: 400 },
	{ group: 'exports', route: '/exports/cells/[id]', method: 'GET', url: '/exports/cells/AAAAAAAAAAAAAAAAAAAAAA', need: null, ok: 404 },
	{ group: 'exports', route: '/exports/cells/[id]/status', method: 'GET', url: '/exports/cells/AAAAAAAAAAAAAAAAAAAAAA/status', need: null, ok: 404 },
	{ group: 'exports', route: '/exports/cells/[id]/file', method: 'GET', url: '/exports/cells/AAAAAAAAAAAAAAAAAAAAAA/file', need: null, ok: 404 }
];
export const GROUPS = [...new Set(CELLS.map((c) => c.group))];

/**
 * The expected outcome of a cell for a role (null: anonymous) aimed in relation `rel`:
 * a status, 'login' (303 to /login?next=…), 'refused' (401 or 403) or FORM.
 * @param {string | null} role
 * @param {Cell} cell
 * @param {string} rel
 */
export function expected(role, cell, rel) {
	if (cell.need === 'public') return role ? cell.signedIn ?? cell.ok : cell.ok;
	if (!role) return cell.method === 'GET' ? 'login' : 'refused';
	if (cell.need && !MAY[/** @type {keyof MAY} */ (role)][/** @type {keyof MAY['admin']} */ (cell.need)]) return 403;
	if (cell.target && !IN_SCOPE.has(rel)) return 404;
	// A head decides the years of the organizations below, never of their own.
	if (cell.need === 'year.step' && role === 'head' && rel === 'own') return 403;
	return cell.ok;
}
export const DENIED = new Set([403, 404, 'login', 'refused']);

/**
 * @param {Response} res
 * @param {number | string} want
 * @param {string} url the path asked for (a refused GET must come back to it after signing in)
 */
export function meets(res, want, url) {
	if (want === 'login') return res.status === 303 && res.headers.get('location') === `/login?next=${encodeURIComponent(url)}`;
	if (want === 'refused') return res.status === 401 || res.status === 403;
	if (want === FORM) return [200, 303, 400].includes(res.status);
	return res.status === want;
}
