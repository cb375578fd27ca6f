import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import type { Access } from '$lib/server/auth/access';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			id?: string;
		}
		interface Locals {
			db: Kysely<Database>;
			user: SessionUser | null;
			session: Session | null;
			access: Access | null;
		}
	}
}

export {};
