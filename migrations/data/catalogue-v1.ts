/**
 * Reference catalogue, version 1 — a frozen data module loaded by a database migration.
 *
 * FROZEN: once a migration has loaded this file, never edit it. Corrections go into a new
 * module (catalogue-v2.ts) and a new migration. This module imports nothing.
 *
 * Sources (Kazakh and Russian originals, quoted as written):
 *  - seed 000: report of the state institution «Рудный қаласының білім бөлімі» (Rudny city
 *    education department) on its public services (Kazakh).
 *  - seed 003: resolution of the Kostanay region akimat No. 58 of 28 January 2008 approving the
 *    standard of the public service «Постановка на региональный учет детей-сирот и детей,
 *    оставшихся без попечения родителей» (Russian, then Kazakh); its annex is the indicator table.
 *    Repealed by resolution No. 336 of 13 September 2010.
 *
 * Transcription rules: kk and ru texts are copied from the seeds with line breaks joined by single
 * spaces (runs of whitespace collapsed); wording, punctuation and spelling are kept, typos included
 * (e.g. kk 2.2 'жағдайыдың'). English texts are glosses. Numerator/denominator texts are NOT in the
 * seeds: they describe what each share (%) is computed from, worded after the indicator titles.
 */

export type IndicatorGroup = 'timeliness' | 'quality' | 'accessibility' | 'complaints' | 'politeness';

export interface IndicatorSeed {
	/** Indicator number in the annex, e.g. '1.1'. */
	code: string;
	group: IndicatorGroup;
	/** 1..12, order of the annex rows. */
	sortOrder: number;
	/** As written in seed 003's Russian annex (lines joined), without the row number. */
	titleRu: string;
	/** As written in seed 003's Kazakh annex (lines joined), without the row number. */
	titleKk: string;
	titleEn: string;
	polarity: 'higher_is_better' | 'lower_is_better';
	/** 'complaints_register': computed from the complaints register and served volumes. */
	source: 'reported' | 'complaints_register';
	numeratorRu: string;
	numeratorKk: string;
	numeratorEn: string;
	denominatorRu: string;
	denominatorKk: string;
	denominatorEn: string;
}

/** The five group headings of the annex (ru «1. Своевременность» → number 1, title without the number). */
export const indicatorGroups: Array<{
	code: IndicatorGroup;
	number: number;
	titleRu: string;
	titleKk: string;
	titleEn: string;
}> = [
	{ code: 'timeliness', number: 1, titleRu: 'Своевременность', titleKk: 'Уақытылылық', titleEn: 'Timeliness' },
	{ code: 'quality', number: 2, titleRu: 'Качество', titleKk: 'Сапа', titleEn: 'Quality' },
	{ code: 'accessibility', number: 3, titleRu: 'Доступность', titleKk: 'Қол жетімділік', titleEn: 'Accessibility' },
	{ code: 'complaints', number: 4, titleRu: 'Процесс обжалования', titleKk: 'Шағымдану үдерісі', titleEn: 'Complaint process' },
	{ code: 'politeness', number: 5, titleRu: 'Вежливость', titleKk: 'Сыпайылық', titleEn: 'Politeness' },
];

/**
 * The 12 indicators of the annex «Значения показателей качества и доступности» /
 * «Сапа және қол жетімділік көрсеткіштерінің мәні». Every indicator is a share (%):
 * numerator / denominator × 100. Satisfaction indicators (1.2, 2.1, 3.1, 4.3, 4.4, 5.1) are read
 * against the consumers surveyed; the seed does not state the survey method.
 */
export const indicators: IndicatorSeed[] = [
	{
		code: '1.1',
		group: 'timeliness',
		sortOrder: 1,
		titleRu: '% (доля) случаев предоставления услуги в установленный срок с момента сдачи документов',
		titleKk: 'құжаттарды тапсырған сәттен бастап бекітілген мерзімде қызметті ұсыну оқиғаларының % (үлесі)',
		titleEn: '% (share) of cases of the service being provided within the established term from the moment documents are submitted',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'случаи предоставления услуги в установленный срок с момента сдачи документов',
		numeratorKk: 'құжаттарды тапсырған сәттен бастап бекітілген мерзімде қызметті ұсыну оқиғалары',
		numeratorEn: 'cases of the service provided within the established term from submission of documents',
		denominatorRu: 'все случаи предоставления услуги',
		denominatorKk: 'қызметті ұсынудың барлық оқиғалары',
		denominatorEn: 'all cases of service provision',
	},
	{
		code: '1.2',
		group: 'timeliness',
		sortOrder: 2,
		titleRu: '% (доля) потребителей, ожидавших получения услуги в очереди не более 40 минут',
		titleKk: 'қызмет алуды кезекте 40 минуттан аспайтын уақыт күткен тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers who waited in the queue to receive the service no more than 40 minutes',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, ожидавшие получения услуги в очереди не более 40 минут',
		numeratorKk: 'қызмет алуды кезекте 40 минуттан аспайтын уақыт күткен тұтынушылар',
		numeratorEn: 'consumers who waited in the queue for the service no more than 40 minutes',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
	{
		code: '2.1',
		group: 'quality',
		sortOrder: 3,
		titleRu: '% (доля) потребителей, удовлетворенных качеством процесса предоставления услуги',
		titleKk: 'қызметті ұсыну үдерісінің сапасымен қанағаттанған тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers satisfied with the quality of the service delivery process',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, удовлетворенные качеством процесса предоставления услуги',
		numeratorKk: 'қызметті ұсыну үдерісінің сапасымен қанағаттанған тұтынушылар',
		numeratorEn: 'consumers satisfied with the quality of the service delivery process',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
	{
		code: '2.2',
		group: 'quality',
		sortOrder: 4,
		titleRu: '% (доля) случаев правильно оформленных документов должностным лицом',
		titleKk: 'құжаттарды лауазымды тұлға дұрыс ресімдеген жағдайыдың % (үлесі)',
		titleEn: '% (share) of cases of documents correctly drawn up by the official',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'случаи правильно оформленных документов должностным лицом',
		numeratorKk: 'құжаттарды лауазымды тұлға дұрыс ресімдеген жағдайлар',
		numeratorEn: 'cases of documents correctly drawn up by the official',
		denominatorRu: 'все случаи оформления документов должностным лицом',
		denominatorKk: 'құжаттарды лауазымды тұлға ресімдеген барлық жағдайлар',
		denominatorEn: 'all cases of documents drawn up by the official',
	},
	{
		code: '3.1',
		group: 'accessibility',
		sortOrder: 5,
		titleRu: '% (доля) потребителей, удовлетворенных качеством и информацией о порядке предоставления услуги',
		titleKk: 'қызметті ұсыну тәртібі туралы ақпаратқа және сапасына қанағаттанған тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers satisfied with the quality of, and information on, the procedure for providing the service',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, удовлетворенные качеством и информацией о порядке предоставления услуги',
		numeratorKk: 'қызметті ұсыну тәртібі туралы ақпаратқа және сапасына қанағаттанған тұтынушылар',
		numeratorEn: 'consumers satisfied with the quality of and information on the service procedure',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
	{
		code: '3.2',
		group: 'accessibility',
		sortOrder: 6,
		titleRu: '% (доля) случаев правильно заполненных потребителем документов и сданных с первого раза',
		titleKk: 'тұтынушы құжаттарды дұрыс толтырған және бірінші реттен тапсырған оқиғалардың % (үлесі)',
		titleEn: '% (share) of cases of documents correctly filled in by the consumer and submitted the first time',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'случаи правильно заполненных потребителем документов, сданных с первого раза',
		numeratorKk: 'тұтынушы құжаттарды дұрыс толтырған және бірінші реттен тапсырған оқиғалар',
		numeratorEn: 'cases of documents correctly filled in by the consumer and submitted the first time',
		denominatorRu: 'все случаи сдачи документов потребителями',
		denominatorKk: 'тұтынушылардың құжаттарды тапсыруының барлық оқиғалары',
		denominatorEn: 'all cases of documents submitted by consumers',
	},
	{
		code: '3.3',
		group: 'accessibility',
		sortOrder: 7,
		titleRu: '% (доля) услуг, информация о которых доступна через Интернет',
		titleKk: 'Интернет арқылы қолжетімді қызметтердің ақпарат % (үлесі)',
		titleEn: '% (share) of services whose information is available via the Internet',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'услуги, информация о которых доступна через Интернет',
		numeratorKk: 'ақпараты Интернет арқылы қолжетімді қызметтер',
		numeratorEn: 'services whose information is available via the Internet',
		denominatorRu: 'все оказываемые услуги',
		denominatorKk: 'көрсетілетін барлық қызметтер',
		denominatorEn: 'all services provided',
	},
	{
		code: '4.1',
		group: 'complaints',
		sortOrder: 8,
		titleRu: '% (доля) обоснованных жалоб в общем количестве обслуженных потребителей по данному виду услуг',
		titleKk: 'қызметтің осы түрі бойынша қызмет көрсетілген тұтынушылардың жалпы санына негізделген шағымдардың % (үлесі)',
		titleEn: '% (share) of justified complaints in the total number of consumers served for this type of service',
		polarity: 'lower_is_better',
		source: 'complaints_register',
		numeratorRu: 'обоснованные жалобы',
		numeratorKk: 'негізделген шағымдар',
		numeratorEn: 'justified complaints',
		denominatorRu: 'обслуженные потребители по данному виду услуг',
		denominatorKk: 'қызметтің осы түрі бойынша қызмет көрсетілген тұтынушылар',
		denominatorEn: 'consumers served for this type of service',
	},
	{
		code: '4.2',
		group: 'complaints',
		sortOrder: 9,
		titleRu: '% (доля) обоснованных жалоб, рассмотренных и удовлетворенных в установленный срок',
		titleKk: 'белгіленген мерзімде қаралған және қанағаттандырылған негізделген шағымдардың % (үлесі)',
		titleEn: '% (share) of justified complaints considered and satisfied within the established term',
		polarity: 'higher_is_better',
		source: 'complaints_register',
		numeratorRu: 'обоснованные жалобы, рассмотренные и удовлетворенные в установленный срок',
		numeratorKk: 'белгіленген мерзімде қаралған және қанағаттандырылған негізделген шағымдар',
		numeratorEn: 'justified complaints considered and satisfied within the established term',
		denominatorRu: 'все обоснованные жалобы',
		denominatorKk: 'барлық негізделген шағымдар',
		denominatorEn: 'all justified complaints',
	},
	{
		code: '4.3',
		group: 'complaints',
		sortOrder: 10,
		titleRu: '% (доля) потребителей, удовлетворенных существующим порядком обжалования',
		titleKk: 'шағымданудың қолданыстағы тәртібіне қанағаттанған тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers satisfied with the existing complaint procedure',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, удовлетворенные существующим порядком обжалования',
		numeratorKk: 'шағымданудың қолданыстағы тәртібіне қанағаттанған тұтынушылар',
		numeratorEn: 'consumers satisfied with the existing complaint procedure',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
	{
		code: '4.4',
		group: 'complaints',
		sortOrder: 11,
		titleRu: '% (доля) потребителей, удовлетворенных сроками обжалования',
		titleKk: 'шағымдану мерзімдерімен қанағаттанған тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers satisfied with the complaint time limits',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, удовлетворенные сроками обжалования',
		numeratorKk: 'шағымдану мерзімдерімен қанағаттанған тұтынушылар',
		numeratorEn: 'consumers satisfied with the complaint time limits',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
	{
		code: '5.1',
		group: 'politeness',
		sortOrder: 12,
		titleRu: '% (доля) потребителей, удовлетворенных вежливостью персонала',
		titleKk: 'қызметкерлердің сыпайылығына қанағаттанған тұтынушылардың % (үлесі)',
		titleEn: '% (share) of consumers satisfied with the politeness of staff',
		polarity: 'higher_is_better',
		source: 'reported',
		numeratorRu: 'потребители, удовлетворенные вежливостью персонала',
		numeratorKk: 'қызметкерлердің сыпайылығына қанағаттанған тұтынушылар',
		numeratorEn: 'consumers satisfied with the politeness of staff',
		denominatorRu: 'все опрошенные потребители',
		denominatorKk: 'сауалнамаға қатысқан барлық тұтынушылар',
		denominatorEn: 'all consumers surveyed',
	},
];

export type Channel = 'state_corporation' | 'egov' | 'state_body' | 'local_executive_body' | 'education_org';
export type ProviderKind = 'city_department' | 'school' | 'kindergarten' | 'supplementary';

export interface ServiceSeed {
	/** 'S01'..'S21', numbered as in DOMAIN.md section 1's service table. */
	code: string;
	/** As written in seed 000, without surrounding «» and the wrapping words 'мемлекеттік көрсетілетін қызметі' / '… қызмет стандарты'. */
	titleKk: string;
	/** Official Russian title as remembered from the register of public services; NOT in the seeds. */
	titleRu: string;
	titleRuVerified: false;
	titleEn: string;
	/** Parsed from channelsKk: in the order the channels are named there. */
	channels: Channel[];
	/** Seed 000's 'Мемлекеттік қызмет көрсету тәсілі' text as written, joined into one line ('' where the seed gives none). */
	channelsKk: string;
	paid: false;
	providedBy: ProviderKind[];
}

/**
 * Public services of the Rudny city education department and its subordinate organizations
 * (seed 000). The report says the department itself provides 12 services but names only 11
 * (S01–S11); the unnamed 12th is deliberately not invented, so this list has 21 entries although
 * the report counts 22 kinds. Teacher attestation (S13) is listed once although kindergartens,
 * schools and supplementary organizations all provide it. All services are free ('Тегін').
 */
export const services: ServiceSeed[] = [
	{
		code: 'S01',
		titleKk: 'Жетім балаға (жетім балаларға) және ата - анасының қамқорлығынсыз қалған балаға (балаларға) қамқоршылық немесе қорғаншылық белгілеу',
		titleRu: 'Установление опеки или попечительства над ребенком-сиротой (детьми-сиротами) и ребенком (детьми), оставшимся без попечения родителей',
		titleRuVerified: false,
		titleEn: 'Establish guardianship or trusteeship over an orphan or a child without parental care',
		channels: ['state_corporation', 'egov'],
		channelsKk: 'Мемлекеттік корпорация, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S02',
		titleKk: 'Қорғаншылық және қамқоршылық жөнінде анықтамалар беру',
		titleRu: 'Выдача справок по опеке и попечительству',
		titleRuVerified: false,
		titleEn: 'Certificates on guardianship and trusteeship',
		channels: ['egov'],
		channelsKk: '«Электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['city_department'],
	},
	// S03: kk: the closing » in the seed is preceded by a space ('беру »'); trimmed.
	{
		code: 'S03',
		titleKk: 'Кәмелетке толмағандардың мүлкіне иелік ету үшін анықтамалар беру',
		titleRu: 'Выдача справок для распоряжения имуществом несовершеннолетних',
		titleRuVerified: false,
		titleEn: 'Certificates for disposing of minors’ property',
		channels: ['egov'],
		channelsKk: '«Электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S04',
		titleKk: 'Мектепке дейінгі балалар ұйымдарына жіберу үшін мектепке дейінгі (6 жасқа дейін) жастағы балаларды кезекке қою',
		titleRu: 'Постановка на очередь детей дошкольного возраста (до 6 лет) для направления в детские дошкольные организации',
		titleRuVerified: false,
		titleEn: 'Queue preschool children (under 6) for a kindergarten place',
		channels: ['state_corporation', 'local_executive_body', 'egov'],
		channelsKk: 'Мемлекеттік корпорация, облыстардың ЖАО, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S05',
		titleKk: 'Қорғаншыларға немесе қамқоршыларға жетім баланы (жетім балаларды) және ата-анасының қамқорлығынсыз қалған баланы (балаларды) асырап-бағуға жәрдемақы тағайындау',
		titleRu: 'Назначение выплаты пособия опекунам или попечителям на содержание ребенка-сироты (детей-сирот) и ребенка (детей), оставшегося без попечения родителей',
		titleRuVerified: false,
		titleEn: 'Allowance to guardians or trustees for maintaining an orphan or a child without parental care',
		channels: ['state_corporation', 'egov'],
		channelsKk: 'Мемлекеттік корпорация, «электрондық үкіметтің» веб-порталы www.egov.kz',
		paid: false,
		providedBy: ['city_department'],
	},
	// S06: ru: the kk wording (басшылары лауазымдарына орналасу конкурсына) matches the 2015-era title; the 2020 rules may word it «…на занятие должности руководителя государственного учреждения среднего образования».
	{
		code: 'S06',
		titleKk: 'Мемлекеттік орта білім беру мекемелерінің басшылары лауазымдарына орналасу конкурсына қатысу үшін құжаттар қабылдау',
		titleRu: 'Прием документов для участия в конкурсе на замещение руководителей государственных учреждений среднего образования',
		titleRuVerified: false,
		titleEn: 'Accept documents for the competition for head of a state secondary school',
		channels: ['state_corporation', 'state_body'],
		channelsKk: '«Азаматтарға арналған үкімет» мемлекеттік корпорациясы, Мемлекеттік орган',
		paid: false,
		providedBy: ['city_department'],
	},
	// S07: kk: the seed quotes the name with the trailing words 'мемлекеттік көрсетілетін қызмет стандарты' inside the «»; both stripped.
	{
		code: 'S07',
		titleKk: 'Баланы (балаларды) патронаттық тәрбиелеуге беру және патронат тәрбиешілерге берілген баланы (балаларды) асырап-бағуға ақшалай қаражат төлеуді тағайындау',
		titleRu: 'Передача ребенка (детей) на патронатное воспитание и назначение выплаты денежных средств на содержание ребенка (детей), переданного патронатным воспитателям',
		titleRuVerified: false,
		titleEn: 'Foster care (patronage) placement and payment to foster carers for the child’s maintenance',
		channels: ['egov'],
		channelsKk: '«Электрондық үкіметтің» веб-порталы www.egov.kz',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S08',
		titleKk: 'Бала асырап алуға тілек білдірген адамдарды есепке қою',
		titleRu: 'Постановка на учет лиц, желающих усыновить детей',
		titleRuVerified: false,
		titleEn: 'Register persons wishing to adopt a child',
		channels: ['egov'],
		channelsKk: '«Электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S09',
		titleKk: 'Жетім баланы және (немесе) ата-анасының қамқорлығынсыз қалған баланы асырап алуға байланысты біржолғы ақшалай төлемді тағайындау',
		titleRu: 'Назначение единовременной денежной выплаты в связи с усыновлением ребенка-сироты и (или) ребенка, оставшегося без попечения родителей',
		titleRuVerified: false,
		titleEn: 'One-time payment on adoption of an orphan or a child without parental care',
		channels: ['state_body', 'egov'],
		channelsKk: 'Мемлекеттік орган, электрондық үкімет порталы www.egov.kz',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S10',
		titleKk: 'Балаға кері әсер етпейтін ата-ана құқықтарынан айырылған ата-аналарға баламен кездесуіне рұқсат беру',
		titleRu: 'Выдача разрешения на свидание с ребенком родителям, лишенным родительских прав, не оказывающим на ребенка негативного влияния',
		titleRuVerified: false,
		titleEn: 'Permission for parents deprived of parental rights (who have no negative influence on the child) to meet the child',
		channels: ['state_corporation', 'local_executive_body'],
		channelsKk: 'Мемлекеттік корпорация, қалалардың ЖАО.',
		paid: false,
		providedBy: ['city_department'],
	},
	{
		code: 'S11',
		titleKk: 'Он жасқа толған баланың пікірін есепке алу туралы қорғаншы және қамқоршы органның шешімін беру',
		titleRu: 'Выдача решения органа опеки и попечительства об учете мнения ребенка, достигшего десятилетнего возраста',
		titleRuVerified: false,
		titleEn: 'Decision of the guardianship body on taking into account the opinion of a child aged 10 or over',
		channels: ['local_executive_body'],
		channelsKk: 'Облыстардың ЖАО',
		paid: false,
		providedBy: ['city_department'],
	},
	// S12: Seed 000 lists this kindergarten service without a channel column, so channelsKk is ''; channels follow DOMAIN.md (kindergarten, e-gov).
	{
		code: 'S12',
		titleKk: 'Мектепке дейінгі білім беру ұйымдарына құжаттарды қабылдау және балаларды қабылдау',
		titleRu: 'Прием документов и зачисление детей в дошкольные организации образования',
		titleRuVerified: false,
		titleEn: 'Accept documents and enrol children in preschool organizations',
		channels: ['education_org', 'egov'],
		channelsKk: '',
		paid: false,
		providedBy: ['kindergarten'],
	},
	// S13: kk title as quoted in the kindergarten and supplementary lists (identical twice). The school table words it slightly differently: '…үшін оларды аттестаттаудан өткізуге құжаттарды қабылдау.'; channelsKk comes from that school table row (the only row with a channel column), including its stray quote marks.
	{
		code: 'S13',
		titleKk: 'Мектепке дейінгі тәрбие мен оқыту, бастауыш, негізгі орта, жалпы орта, техникалық және кәсіптік, орта білімнен кейінгі білім беру бағдарламаларын іске асыратын білім беру ұйымдарының педагог қызметкерлері мен оларға теңестірілген тұлғаларға біліктілік санаттарын беру (растау) үшін аттестаттаудан өткізуге құжаттар қабылдау',
		titleRu: 'Прием документов для прохождения аттестации на присвоение (подтверждение) квалификационных категорий педагогическим работникам и приравненным к ним лицам организаций образования, реализующих образовательные программы дошкольного воспитания и обучения, начального, основного среднего, общего среднего, технического и профессионального, послесреднего образования',
		titleRuVerified: false,
		titleEn: 'Accept documents for attestation of teachers and equivalent staff for qualification categories',
		channels: ['state_corporation', 'state_body'],
		channelsKk: 'Азаматтарға арналған үкімет " мемлекеттік корпорациясы», Мемлекеттік орган',
		paid: false,
		providedBy: ['kindergarten', 'school', 'supplementary'],
	},
	// S14: Seed 000 gives this service's channels in prose ('… веб-порталы арқылы көрсетіледі'); channelsKk keeps the list and drops the verb 'арқылы көрсетіледі'. The most-demanded list words the title slightly differently ('Балаларға қосымша білім беру бойынша … құжаттарды қабылдау …').
	{
		code: 'S14',
		titleKk: 'Оқудан тыс уақытта балаларға қосымша білім беру бойынша қосымша білім беру ұйымдарына құжаттар қабылдау және оқуға қабылдау',
		titleRu: 'Прием документов и зачисление в организации дополнительного образования для детей по предоставлению им дополнительного образования',
		titleRuVerified: false,
		titleEn: 'Accept documents and enrol in supplementary education',
		channels: ['education_org', 'egov'],
		channelsKk: 'Балаларға арналған қосымша білім беру ұйымдары, жалпы орта білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['supplementary', 'school'],
	},
	{
		code: 'S15',
		titleKk: 'Бастауыш, негізгі орта, жалпы орта білім беру ұйымдарына денсаулығына байланысты ұзақ уақыт бойы бара алмайтын балаларды үйде жеке тегін оқытуды ұйымдастыру үшін құжаттарды қабылдау',
		titleRu: 'Прием документов для организации индивидуального бесплатного обучения на дому детей, которые по состоянию здоровья в течение длительного времени не могут посещать организации начального, основного среднего, общего среднего образования',
		titleRuVerified: false,
		titleEn: 'Free individual home schooling for children who cannot attend school for a long time for health reasons',
		channels: ['education_org', 'egov'],
		channelsKk: 'Бастауыш, негізгі орта және жалпы орта білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
	// S16: kk title kept in the seed’s own (inverted) word order.
	{
		code: 'S16',
		titleKk: 'Құжаттарды қабылдау демалуы үшін аз қамтылған отбасы балаларының қала сыртындағы және мектеп жанындағы лагерьлерде',
		titleRu: 'Прием документов для предоставления отдыха детям из малообеспеченных семей в загородных и пришкольных лагерях',
		titleRuVerified: false,
		titleEn: 'Rest in out-of-town and school camps for children of low-income families',
		channels: ['state_corporation', 'local_executive_body', 'education_org', 'egov'],
		channelsKk: 'Мемлекеттік корпорация, облыстардың, Нұр-сұлтан, Алматы және Шымкент қалаларының, аудандар мен қалалардың ЖАО, білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
	// S17: kk title keeps the trailing full stop as written.
	{
		code: 'S17',
		titleKk: 'Негізгі орта, жалпы орта білім беру ұйымдарында экстернат нысанында оқытуға рұқсат беру.',
		titleRu: 'Выдача разрешения на обучение в форме экстерната в организациях основного среднего, общего среднего образования',
		titleRuVerified: false,
		titleEn: 'Permission to study as an external student (externship)',
		channels: ['egov'],
		channelsKk: '«Электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
	// S18: ru: the kk wording (жалпы білім беретін оқу орындары арасында) may correspond to an earlier ru title («…между общеобразовательными учебными заведениями»).
	{
		code: 'S18',
		titleKk: 'Балаларды жалпы білім беретін оқу орындары арасында ауыстыру үшін құжаттар қабылдау',
		titleRu: 'Прием документов для перевода детей между организациями начального, основного среднего, общего среднего образования',
		titleRuVerified: false,
		titleEn: 'Transfer of children between general education schools',
		channels: ['education_org', 'egov'],
		channelsKk: 'Бастауыш, негізгі орта және жалпы орта білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
	// S19: kk title from the school table ('құжаттар қабылдау'); the most-demanded list writes 'құжаттарды қабылдау'.
	{
		code: 'S19',
		titleKk: 'Бастауыш, негізгі орта, жалпы орта білім берудің жалпы білім беретін бағдарламалары бойынша оқыту үшін ведомстволық бағыныстылығына қарамастан білім беру ұйымдарына құжаттар қабылдау және оқуға қабылдау',
		titleRu: 'Прием документов и зачисление в организации образования, независимо от ведомственной подчиненности, для обучения по общеобразовательным программам начального, основного среднего, общего среднего образования',
		titleRuVerified: false,
		titleEn: 'Accept documents and enrol in general education programs',
		channels: ['education_org', 'egov'],
		channelsKk: 'Бастауыш, негізгі орта және жалпы орта білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
	// S20: kk title keeps the trailing full stop as written. ru: the kk text says only 'білім туралы құжаттардың' (documents on education); the school-level register title is used.
	{
		code: 'S20',
		titleKk: 'Білім туралы құжаттардың телнұсқаларын беру.',
		titleRu: 'Выдача дубликатов документов об основном среднем, общем среднем образовании',
		titleRuVerified: false,
		titleEn: 'Duplicates of education documents',
		channels: ['state_corporation', 'state_body'],
		channelsKk: '«Азаматтарға арналған үкімет» мемлекеттік корпорациясы, Мемлекеттік орган,',
		paid: false,
		providedBy: ['school'],
	},
	{
		code: 'S21',
		titleKk: 'Жалпы білім беретін мектептердегі білім алушылар мен тәрбиеленушілердің жекелеген санаттарына тегін тамақтандыруды ұсыну үшін құжаттар қабылдау',
		titleRu: 'Прием документов для предоставления бесплатного питания отдельным категориям обучающихся и воспитанников в общеобразовательных школах',
		titleRuVerified: false,
		titleEn: 'Free meals for certain categories of pupils',
		channels: ['local_executive_body', 'education_org', 'egov'],
		channelsKk: 'Облыстардың, Нұр-сұлтан, Алматы және Шымкент қалаларының, аудандардың және облыстық маңызы бар қалалардың ЖАО, білім беру ұйымдары, «электрондық үкіметтің» веб-порталы',
		paid: false,
		providedBy: ['school'],
	},
];

/**
 * Seed 003: the regional standard — real, and repealed. Texts as written in the seed.
 * Notes on the source: the header and the Kazakh text date resolution No. 58 28 January 2008,
 * while the Russian approval stamp above the standard says «от 25 января 2008 года № 58»; the
 * header date is used. The Russian and Kazakh legal bases cite different laws (ru: Закон «О браке и
 * семье»; kk: «Қазақстан Республикасындағы баланың құқығы туралы» Заң); both are kept as written,
 * without the framing words 'на основании' / 'негізінде көрсетіледі'.
 * The annex values are identical in the Russian and Kazakh tables (decimal comma '0,1' → 0.1).
 */
export const regionalStandard: {
	service: {
		code: 'R01';
		titleRu: string;
		titleKk: string;
		titleEn: string;
		channels: Channel[];
		paid: false;
		termDays: 1;
		maxWaitSubmitMin: 40;
		maxWaitReceiveMin: 40;
		legalBasisRu: string;
		legalBasisKk: string;
	};
	act: {
		issuerRu: string;
		issuerKk: string;
		number: '58';
		date: '2008-01-28';
		registrationNumber: '3597';
		registrationDate: '2008-03-11';
	};
	validFrom: string;
	repeal: { number: '336'; date: '2010-09-13'; issuerRu: string; issuerKk: string };
	normatives: Record<string, number>;
	annexTargets: Record<string, number>;
	annexCurrent: Record<string, number>;
} = {
	service: {
		code: 'R01',
		titleRu: 'Постановка на региональный учет детей-сирот и детей, оставшихся без попечения родителей',
		titleKk: 'Жетім балаларды және ата-анасының қамқорлығынсыз қалған балаларды өңірлік есепке қою',
		titleEn: 'Registering orphans and children left without parental care on the regional record',
		// Provided in person by the regional education department (Kostanay, Al-Farabi St. 56, office 312).
		channels: ['state_body'],
		paid: false,
		termDays: 1,
		maxWaitSubmitMin: 40,
		maxWaitReceiveMin: 40,
		legalBasisRu:
			'пункта 3 статьи 101 Закона Республики Казахстан "О браке и семье", пункта 2 "Правил организации централизованного учета детей, оставшихся без попечения родителей" утвержденных постановлением Правительства Республики Казахстан от 9 сентября 1999 года № 1346 "Об утверждении Положений об органах опеки и попечительства Республики Казахстан, о патронате и Правил организации централизованного учета детей, оставшихся без попечения родителей"',
		legalBasisKk:
			'"Қазақстан Республикасындағы баланың құқығы туралы" Қазақстан Республикасы Заңының 101 бабының 3 тармағы, "Қазақстан Республикасының қорғаншылық және қамқоршылық органдары туралы және Патронат туралы ережелерді және Ата-анасының қамқорлығынсыз қалған балаларды орталықтандырылған есепке алуды ұйымдастыру ережесін бекіту туралы" Қазақстан Республикасы Үкіметінің 1999 жылғы 9 қыркүйектегі № 1346 қаулысымен бекітілген "Ата-анасының қамқорлығысыз қалған балаларды орталықтандырған есепке алуды ұйымдастыру Ережесінің" 2 тармағының',
	},
	act: {
		issuerRu: 'Акимат Костанайской области',
		issuerKk: 'Қостанай облысының әкімдігі',
		number: '58',
		date: '2008-01-28',
		registrationNumber: '3597',
		registrationDate: '2008-03-11',
	},
	// The resolution entered into force ten calendar days after its first official publication;
	// the publication date is not in the seed, so the registration date (Department of Justice of
	// Kostanay region, 11 March 2008, No. 3597) is used as a lower bound.
	validFrom: '2008-03-11',
	// The repealing resolution entered into force on the day it was signed.
	repeal: {
		number: '336',
		date: '2010-09-13',
		issuerRu: 'Акимат Костанайской области',
		issuerKk: 'Қостанай облысының әкімдігі',
	},
	/** Column 2: normative value of the indicator (%). */
	normatives: { '1.1': 100, '1.2': 100, '2.1': 100, '2.2': 100, '3.1': 99, '3.2': 99, '3.3': 0, '4.1': 0, '4.2': 0, '4.3': 100, '4.4': 100, '5.1': 100 },
	/** Column 3: target value for the following year (%). */
	annexTargets: { '1.1': 100, '1.2': 100, '2.1': 100, '2.2': 100, '3.1': 100, '3.2': 99, '3.3': 0, '4.1': 0, '4.2': 0, '4.3': 100, '4.4': 100, '5.1': 100 },
	/** Column 4: current value in the reporting year (%). */
	annexCurrent: { '1.1': 100, '1.2': 100, '2.1': 100, '2.2': 100, '3.1': 99, '3.2': 99, '3.3': 0, '4.1': 0.1, '4.2': 0, '4.3': 100, '4.4': 100, '5.1': 100 },
};

export interface OrganizationSeed {
	code: string;
	parentCode: string | null;
	kind: 'region_department' | 'city_department' | 'supplementary';
	nameKk: string;
	nameRu: string;
	nameEn: string;
}

/**
 * Real organizations named in the seeds. kk names as written; ru names of RUDNY-SUP-* are renderings
 * of the kk names, not verified official names. KST-EDU carries seed 003's (2008) name. Seed 000's
 * title places the Rudny department under the regional education administration ('Қостанай облысы
 * әкімдігі білім басқармасының «Рудный қаласының білім бөлімі» мемлекеттік мекемесінің …'), the
 * later successor of that department; the hierarchy follows DOMAIN.md.
 */
export const realOrganizations: OrganizationSeed[] = [
	{
		code: 'KST-EDU',
		parentCode: null,
		kind: 'region_department',
		nameKk: 'Қостанай облыстық Білім департаменті',
		nameRu: 'Департамент образования Костанайской области',
		nameEn: 'Education Department of Kostanay Region',
	},
	{
		code: 'RUDNY-EDU',
		parentCode: 'KST-EDU',
		kind: 'city_department',
		nameKk: '«Рудный қаласының білім бөлімі» мемлекеттік мекемесі',
		nameRu: 'ГУ «Отдел образования города Рудного»',
		nameEn: 'State institution "Rudny City Education Department"',
	},
	{
		code: 'RUDNY-SUP-01',
		parentCode: 'RUDNY-EDU',
		kind: 'supplementary',
		nameKk: 'Рудный қаласы әкімдігінің «Балалар тәрбиелеу-сауықтыру кешені» КМҚК',
		nameRu: 'КГКП «Детский воспитательно-оздоровительный комплекс» акимата города Рудного',
		nameEn: 'Children’s Upbringing and Health Complex (municipal state enterprise of the Rudny city akimat)',
	},
	{
		code: 'RUDNY-SUP-02',
		parentCode: 'RUDNY-EDU',
		kind: 'supplementary',
		nameKk: 'Рудный қаласы әкімдігінің «Балалар көркемсурет мектебі» КМҚК',
		nameRu: 'КГКП «Детская художественная школа» акимата города Рудного',
		nameEn: 'Children’s Art School (municipal state enterprise of the Rudny city akimat)',
	},
	{
		code: 'RUDNY-SUP-03',
		parentCode: 'RUDNY-EDU',
		kind: 'supplementary',
		nameKk: 'Рудный қаласы әкімдігінің «Балалар мен жастарды дамыту және шығармашылық сарайы» КМҚК',
		nameRu: 'КГКП «Дворец развития и творчества детей и юношества» акимата города Рудного',
		nameEn: 'Palace of Development and Creativity of Children and Youth (municipal state enterprise of the Rudny city akimat)',
	},
];

/** Figures stated in seed 000 (report of the Rudny city education department). */
export const reportFacts = {
	/** Services provided in 2020: total, by the provider itself, via the State Corporation, electronically. */
	year2020: { total: 8926, provider: 2475, stateCorporation: 269, electronic: 6182 },
	/** Most demanded services in 2021, in the report's order. */
	mostDemanded2021: [
		{ serviceCode: 'S04', count: 1402 },
		{ serviceCode: 'S19', count: 1842 },
		{ serviceCode: 'S12', count: 1156 },
		{ serviceCode: 'S21', count: 2011 },
		{ serviceCode: 'S14', count: 1292 },
	],
	schools: 22,
	kindergartens: 16,
	supplementary: 3,
	/** Kinds of services the department and its subordinate organizations provide, as the report counts them. */
	serviceKinds: 22,
} as const;
