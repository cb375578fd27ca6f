import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/*
 * TypeScript view of the tables created in migrations/. Dates are
 * 'YYYY-MM-DD' strings and numerics are numbers on both engines (see connect.ts).
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateString = string;
/** A column the database computes: readable, never written. */
type Computed<T> = ColumnType<T, never, never>;
type Identity = ColumnType<number, never, never>;

export type OrganizationKind = 'region_department' | 'city_department' | 'school' | 'kindergarten' | 'supplementary' | 'other';
export type Channel = 'state_corporation' | 'egov' | 'state_body' | 'local_executive_body' | 'education_org';
export type VolumeChannel = 'provider' | 'state_corporation' | 'egov';
export type IndicatorGroupCode = 'timeliness' | 'quality' | 'accessibility' | 'complaints' | 'politeness';
export type PolarityCode = 'higher_is_better' | 'lower_is_better';
export type FigureSource = 'form' | 'import' | 'demo';
export type Role = 'admin' | 'head' | 'working_group' | 'operator' | 'viewer';

export interface AppMetaTable {
	key: string;
	value: unknown;
	updated_at: Generated<Date>;
}

export interface OrganizationTable {
	id: Identity;
	code: string;
	parent_id: number | null;
	kind: OrganizationKind;
	name_kk: string;
	name_ru: string;
	name_en: string | null;
	bin: string | null;
	active_from: ColumnType<DateString, DateString | undefined, DateString>;
	active_to: DateString | null;
	/** The organization that took over its services when it was merged; NULL otherwise. */
	merged_into_id: ColumnType<number | null, number | null | undefined, number | null>;
	is_demo: Generated<boolean>;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

/** The parent of an organization for a range of reporting years (the tree as it was each year). */
export interface OrganizationLinkTable {
	id: Identity;
	organization_id: number;
	parent_id: number | null;
	year_from: number;
	/** Last reporting year under this parent; NULL while it still holds. */
	year_to: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface ServiceTable {
	id: Identity;
	code: string;
	title_kk: string;
	title_ru: string;
	title_en: string | null;
	title_ru_verified: Generated<boolean>;
	channels: ColumnType<Channel[], Channel[] | undefined, Channel[]>;
	channels_note_kk: string | null;
	channels_note_ru: string | null;
	is_paid: Generated<boolean>;
	term_days: number | null;
	max_wait_submit_min: number | null;
	max_wait_receive_min: number | null;
	legal_basis_kk: string | null;
	legal_basis_ru: string | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface IndicatorGroupTable {
	code: IndicatorGroupCode;
	number: number;
	title_kk: string;
	title_ru: string;
	title_en: string;
}

export interface IndicatorTable {
	id: Identity;
	code: string;
	group_code: IndicatorGroupCode;
	sort_order: number;
	title_kk: string;
	title_ru: string;
	title_en: string | null;
	unit: Generated<'percent'>;
	polarity: PolarityCode;
	source: Generated<'reported' | 'complaints_register'>;
	numerator_kk: string;
	numerator_ru: string;
	numerator_en: string | null;
	denominator_kk: string;
	denominator_ru: string;
	denominator_en: string | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface StandardTable {
	id: Identity;
	service_id: number;
	act_issuer_kk: string;
	act_issuer_ru: string;
	act_number: string;
	act_date: DateString;
	registration_number: string | null;
	registration_date: DateString | null;
	valid_from: DateString;
	valid_to: DateString | null;
	repeal_issuer_kk: string | null;
	repeal_issuer_ru: string | null;
	repeal_number: string | null;
	repeal_date: DateString | null;
	is_demo: Generated<boolean>;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface StandardNormativeTable {
	standard_id: number;
	indicator_id: number;
	value: number;
}

export interface ServiceProvisionTable {
	id: Identity;
	organization_id: number;
	service_id: number;
	year_from: number;
	year_to: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface MeasurementTable {
	id: ColumnType<number, never, never>;
	organization_id: number;
	service_id: number;
	indicator_id: number;
	year: number;
	numerator: number;
	denominator: number;
	value: Computed<number | null>;
	source: FigureSource;
	comment: string | null;
	version: Generated<number>;
	updated_by: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface TargetTable {
	id: ColumnType<number, never, never>;
	organization_id: number;
	service_id: number;
	indicator_id: number;
	year: number;
	value: number;
	status: ColumnType<'draft' | 'approved', 'draft' | 'approved' | undefined, 'draft' | 'approved'>;
	reason: string | null;
	approved_by: number | null;
	approved_at: Timestamp | null;
	protocol_number: string | null;
	protocol_date: DateString | null;
	version: Generated<number>;
	updated_by: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
	/** The working group's set the target belongs to (migrations/…T07-target-sets.ts). */
	target_set_id: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ServiceVolumeTable {
	organization_id: number;
	service_id: number;
	year: number;
	channel: VolumeChannel;
	count: number;
	source: ColumnType<FigureSource, FigureSource | undefined, FigureSource>;
	comment: ColumnType<string | null, string | null | undefined, string | null>;
	version: Generated<number>;
	updated_by: number | null;
	updated_at: Generated<Date>;
}

export interface ComplaintTable {
	id: ColumnType<number, never, never>;
	organization_id: number;
	service_id: number;
	received_on: DateString;
	summary: string | null;
	justified: boolean | null;
	due_on: DateString;
	answered_on: DateString | null;
	satisfied: boolean | null;
	answered_within_term: Computed<boolean | null>;
	is_demo: Generated<boolean>;
	version: Generated<number>;
	updated_by: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface AppUserTable {
	id: Identity;
	email: string;
	display_name: string;
	password_hash: string | null;
	locale: Generated<'ru' | 'kk' | 'en'>;
	is_active: Generated<boolean>;
	is_demo: Generated<boolean>;
	last_sign_in_at: Timestamp | null;
	failed_sign_ins: Generated<number>;
	throttled_until: Timestamp | null;
	locked_at: Timestamp | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export interface AuthSessionTable {
	id: string;
	secret_hash: Uint8Array;
	user_id: number;
	created_at: Generated<Date>;
	expires_at: Timestamp;
	absolute_expires_at: Timestamp;
	ip: string | null;
	user_agent: string | null;
}

export type SignInOutcome = 'success' | 'bad_credentials' | 'account_throttled' | 'account_locked' | 'address_throttled' | 'disabled';

export interface SignInAttemptTable {
	id: ColumnType<number, never, never>;
	at: Generated<Date>;
	email: string;
	ip: string;
	user_id: number | null;
	outcome: SignInOutcome;
}

export interface RoleGrantTable {
	id: Identity;
	user_id: number;
	/** NULL only for a global admin grant. */
	organization_id: number | null;
	role: Role;
	granted_by: number | null;
	granted_at: Generated<Date>;
}

export type AuditAction = 'insert' | 'update' | 'delete' | 'sign_in' | 'sign_in_failed' | 'sign_out' | 'sign_out_everywhere';

export interface AuditLogTable {
	id: ColumnType<number, never, never>;
	at: Generated<Date>;
	actor_user_id: number | null;
	actor: string;
	action: AuditAction;
	entity: string;
	entity_id: string;
	before: unknown;
	after: unknown;
}

export interface IndicatorDecisionTable {
	id: Identity;
	indicator_id: number;
	decided_at: Generated<Date>;
	decided_by: number | null;
	field: 'polarity' | 'unit';
	old_value: string | null;
	new_value: string | null;
	reason: string;
}

export type ReportingStatus = 'open' | 'submitted' | 'approved';
export type ReportingStep = 'submit' | 'return' | 'approve' | 'reopen';

export interface ReportingYearTable {
	organization_id: number;
	year: number;
	status: ReportingStatus;
	last_step: ReportingStep;
	reason: string | null;
	step_by: number | null;
	step_at: Generated<Date>;
	version: Generated<number>;
}

export interface ImportBatchTable {
	id: Identity;
	kind: 'figures';
	organization_id: number;
	year: number;
	file_name: string;
	file_sha256: string;
	file_bytes: Uint8Array;
	row_count: number | null;
	problem_count: Generated<number>;
	status: ColumnType<'previewed' | 'committed' | 'refused' | 'discarded', 'previewed' | 'committed' | 'refused' | 'discarded' | undefined>;
	result: unknown;
	created_by: number;
	created_at: Generated<Date>;
	finished_at: Timestamp | null;
}

export interface Database {
	app_meta: AppMetaTable;
	organization: OrganizationTable;
	organization_link: OrganizationLinkTable;
	service: ServiceTable;
	indicator_group: IndicatorGroupTable;
	indicator: IndicatorTable;
	standard: StandardTable;
	standard_normative: StandardNormativeTable;
	service_provision: ServiceProvisionTable;
	measurement: MeasurementTable;
	target: TargetTable;
	service_volume: ServiceVolumeTable;
	complaint: ComplaintTable;
	app_user: AppUserTable;
	auth_session: AuthSessionTable;
	sign_in_attempt: SignInAttemptTable;
	role_grant: RoleGrantTable;
	audit_log: AuditLogTable;
	indicator_decision: IndicatorDecisionTable;
	reporting_year: ReportingYearTable;
	import_batch: ImportBatchTable;
	target_set: TargetSetTable;
	compliance_cell: ComplianceCellTable;
	compliance_rollup: ComplianceRollupTable;
	volume_cell: VolumeCellTable;
	volume_rollup: VolumeRollupTable;
	compliance_dirty: ComplianceDirtyTable;
	compliance_year: ComplianceYearTable;
}

export type Organization = Selectable<OrganizationTable>;
export type NewOrganization = Insertable<OrganizationTable>;
export type OrganizationUpdate = Updateable<OrganizationTable>;
export type Service = Selectable<ServiceTable>;
export type Indicator = Selectable<IndicatorTable>;
export type Standard = Selectable<StandardTable>;
export type Measurement = Selectable<MeasurementTable>;
export type NewMeasurement = Insertable<MeasurementTable>;
export type Target = Selectable<TargetTable>;
export type NewTarget = Insertable<TargetTable>;
export type ServiceVolume = Selectable<ServiceVolumeTable>;
export type Complaint = Selectable<ComplaintTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type AppUser = Selectable<AppUserTable>;

export type TargetSetStatus = 'draft' | 'approved';

/** The working group's targets of one year for one scope: a subtree root and some services. */
export interface TargetSetTable {
	id: Identity;
	year: number;
	/** The scope's root: the organization whose subtree (in that year) the set covers. */
	organization_id: number;
	service_ids: number[];
	status: ColumnType<TargetSetStatus, TargetSetStatus | undefined, TargetSetStatus>;
	protocol_number: string | null;
	protocol_date: DateString | null;
	members: string | null;
	approved_by: number | null;
	approved_at: Timestamp | null;
	reopen_reason: string | null;
	reopened_by: number | null;
	reopened_at: Timestamp | null;
	version: Generated<number>;
	created_by: number | null;
	created_at: Generated<Date>;
	updated_at: Generated<Date>;
}

export type TargetSet = Selectable<TargetSetTable>;

/*
 * The dashboard's pre-aggregation (migrations/…T08-compliance-rollup.ts), written only by
 * sapa_compliance_refresh() / sapa_compliance_rebuild(y): read-only for the application.
 */

/** Additive measures of a leaf cell or a subtree (see domain/dashboard.ts Measures). */
export interface ComplianceMeasureColumns {
	numerator: number;
	denominator: number;
	valued: number;
	assessed: number;
	meets_normative: number;
	breaches: number;
	with_target: number;
	meets_target: number;
	normative_weighted: number;
	normative_denominator: number;
	target_weighted: number;
	target_denominator: number;
	expected: number;
	reported: number;
}

/** One leaf cell: organization × service × indicator × year, for every service provided in a year with data. */
export interface ComplianceCellTable extends ComplianceMeasureColumns {
	organization_id: number;
	year: number;
	service_id: number;
	indicator_id: number;
	/** organization.kind of the organization. */
	kind: OrganizationKind;
}

/** The measures over an organization's subtree that year (itself included), by the kind of the reporting organization; only organizations with children that year; all-zero rows are not kept. */
export interface ComplianceRollupTable extends ComplianceMeasureColumns {
	organization_id: number;
	year: number;
	service_id: number;
	indicator_id: number;
	kind: OrganizationKind;
}

export interface VolumeMeasureColumns {
	provider: number;
	state_corporation: number;
	egov: number;
	/** Channel counts owed: 3 per service provided. */
	expected: number;
	reported: number;
}

export interface VolumeCellTable extends VolumeMeasureColumns {
	organization_id: number;
	year: number;
	service_id: number;
	kind: OrganizationKind;
}

export interface VolumeRollupTable extends VolumeMeasureColumns {
	organization_id: number;
	year: number;
	service_id: number;
	kind: OrganizationKind;
}

/** What a write touched, until the next refresh: organization_id NULL = the whole year. */
export interface ComplianceDirtyTable {
	organization_id: number | null;
	year: number;
	tx: Generated<string>;
}

/** The years the pre-aggregation holds (every year with a figure, once refreshed). */
export interface ComplianceYearTable {
	year: number;
	built_at: Generated<Date>;
}

export type ComplianceCell = Selectable<ComplianceCellTable>;
export type ComplianceRollup = Selectable<ComplianceRollupTable>;
export type VolumeCell = Selectable<VolumeCellTable>;
export type VolumeRollup = Selectable<VolumeRollupTable>;
