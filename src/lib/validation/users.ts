import * as v from 'valibot';
import { ROLES } from '$lib/domain/permissions';

/** The people list's search box. */
export const UserSearch = v.pipe(v.optional(v.string(), ''), v.trim(), v.maxLength(200));

/** A database id as a form or a URL writes it. */
export const Id = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number));

// 'all': the global admin grant, which has no organization.
export const Organization = v.union([v.pipe(v.literal('all'), v.transform(() => null)), Id], 'organization_required');

/** The form's shape; the service judges the content (email, name, password, whether the role may be granted there). */
export const NewUserForm = v.object({
	email: v.pipe(v.string(), v.trim(), v.maxLength(1000, 'email_invalid')),
	displayName: v.pipe(v.string(), v.trim(), v.maxLength(1000, 'display_name_invalid')),
	password: v.pipe(v.string(), v.maxLength(1024, 'too_long')),
	role: v.picklist(ROLES, 'role_required'),
	organization: Organization
});

export const GrantForm = v.object({ role: v.picklist(ROLES, 'role_required'), organization: Organization });

export const RevokeForm = v.object({ grant: Id, organization: Organization });
