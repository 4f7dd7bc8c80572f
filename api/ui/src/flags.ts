// Flagsmith-on-Flagsmith: when FLAGSMITH_CLIENT_API and FLAGSMITH are set, the UI reads its own flags from that API
// (it can be this flagstack). Only the flag `ui_announcement` is used today: when on, its value is shown as a banner.
import { settings } from './settings';

export interface UiFlags {
  announcement: string | null;
}

export async function loadUiFlags(): Promise<UiFlags> {
  const api = settings.flagsmithClientApi;
  const key = settings.flagsmithEnvironmentKey;
  if (!api || !key) return { announcement: null };
  try {
    const base = api.endsWith('/') ? api : `${api}/`;
    const res = await fetch(new URL('flags/', base), { headers: { 'x-environment-key': key }, credentials: 'omit' });
    if (!res.ok) return { announcement: null };
    const flags = (await res.json()) as Array<{ feature: { name: string }; enabled: boolean; feature_state_value: unknown }>;
    const banner = flags.find((f) => f.feature.name === 'ui_announcement');
    return { announcement: banner?.enabled && banner.feature_state_value ? String(banner.feature_state_value) : null };
  } catch {
    // The UI's own flags are optional: an unreachable flag API must not stop the UI.
    return { announcement: null };
  }
}
