// The UI's runtime settings, injected by the API into index.html as an inert JSON script tag (CSP-safe):
// API_URL, FLAGSMITH_CLIENT_API and FLAGSMITH (the seed's front-end variables).
export interface UiSettings {
  apiUrl: string | null;
  flagsmithClientApi: string | null;
  flagsmithEnvironmentKey: string | null;
  version: string;
}

function read(): UiSettings {
  const fallback: UiSettings = { apiUrl: null, flagsmithClientApi: null, flagsmithEnvironmentKey: null, version: '' };
  const tag = document.getElementById('flagstack-settings');
  if (!tag?.textContent) return fallback;
  try {
    return { ...fallback, ...(JSON.parse(tag.textContent) as Partial<UiSettings>) };
  } catch {
    return fallback;
  }
}

export const settings = read();

/** Base of every admin call, ending in `/api/v1/`: API_URL when set (with or without its /api/v1/), else this origin. */
export function apiBase(): string {
  const raw = settings.apiUrl ?? `${location.origin}/`;
  const withSlash = raw.endsWith('/') ? raw : `${raw}/`;
  return /\/api\/v1\/$/.test(withSlash) ? withSlash : `${withSlash}api/v1/`;
}

/** The URL SDK snippets should use. */
export function sdkApiUrl(): string {
  return new URL(apiBase(), location.href).href;
}
