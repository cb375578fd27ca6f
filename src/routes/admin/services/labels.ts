import * as m from '$lib/paraglide/messages';
import type { Channel } from '$lib/server/db/schema';

export const channelLabel: Record<Channel, () => string> = {
	state_corporation: m.channel_state_corporation,
	egov: m.channel_egov,
	state_body: m.channel_state_body,
	local_executive_body: m.channel_local_executive_body,
	education_org: m.channel_education_org
};
