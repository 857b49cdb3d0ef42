/** Builds client/dist when it is missing or older than its sources. */
export function ensureClientBuilt(): void;
