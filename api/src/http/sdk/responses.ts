// Core's SDK error bodies (FLAGSMITH-COMPAT.md §1.10), kept word for word: some clients match on them.
export const MISSING_KEY = { detail: 'Invalid or missing Environment key' };
export const UNKNOWN_KEY = { detail: 'Invalid or missing Environment Key' };
export const FLAGS_STOPPED = { detail: 'Organisation is disabled from serving flags.' };
export const FEATURE_NOT_FOUND = { detail: 'Given feature not found' };
export const MISSING_IDENTIFIER = { detail: 'Missing identifier' };
