import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A grid form that shows live results of what is typed (the entry grid, the
 * target editor): remembers each field typed since the page was drawn, keeps
 * it when a save is refused (no form reset), and forgets it after a save
 * succeeds, when the reloaded data shows the stored values.
 */
export class TypedGrid {
	typed = $state<Record<string, string>>({});
	saving = $state(false);

	/** For the form's `oninput`. */
	record = (e: Event) => {
		const t = e.target as HTMLInputElement;
		if (t.name) this.typed[t.name] = t.value;
	};

	/** For `use:enhance`. */
	submit: SubmitFunction = () => {
		this.saving = true;
		return async ({ update, result }) => {
			await update({ reset: false });
			if (result.type === 'success') this.typed = {};
			this.saving = false;
		};
	};
}
