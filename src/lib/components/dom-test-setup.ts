/*
 * What jsdom lacks and Svelte or LayerChart ask for when a component mounts:
 * media queries (reduced motion), element resize observation. Neither matters
 * to what a test asserts, so both answer "nothing changes".
 */
if (typeof window !== 'undefined') {
	window.matchMedia ??= (query: string) =>
		({
			matches: false,
			media: query,
			onchange: null,
			addEventListener: () => {},
			removeEventListener: () => {},
			addListener: () => {},
			removeListener: () => {},
			dispatchEvent: () => false
		}) as MediaQueryList;
	globalThis.ResizeObserver ??= class {
		observe() {}
		unobserve() {}
		disconnect() {}
	};
}
