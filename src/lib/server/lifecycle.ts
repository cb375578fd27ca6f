/**
 * Whether this process is stopping (a SIGTERM or SIGINT arrived): /readyz then answers 503
 * so a load balancer sends no new requests here while the ones in flight finish.
 */
let stoppingSince: number | null = null;

export function markStopping(): void {
	stoppingSince ??= performance.now();
}

export function isStopping(): boolean {
	return stoppingSince !== null;
}

/** Milliseconds since the stop began (0 when not stopping). */
export function msSinceStop(): number {
	return stoppingSince === null ? 0 : Math.round(performance.now() - stoppingSince);
}
