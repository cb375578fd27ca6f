import type { Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';

declare global {
	namespace App {
		interface Error {
			message: string;
			id?: string;
		}
		interface Locals {
			db: Kysely<Database>;
		}
	}
}

export {};
