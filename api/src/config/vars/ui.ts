// Settings the bundled admin UI needs (the seed's names, shared with Flagsmith's frontend).
import { checkHttpUrl } from '../formats';
import { envString } from '../env-var';

export const uiVars = {
  API_URL: envString({
    description: 'Public URL of the API as the admin UI should call it (default: the origin the UI was served from).',
    group: 'ui',
    configPath: 'ui.apiUrl',
    check: checkHttpUrl,
  }),
  FLAGSMITH_CLIENT_API: envString({
    description: 'Flagsmith-on-Flagsmith: API URL the UI reads its own feature flags from.',
    group: 'ui',
    configPath: 'ui.flagsmithClientApi',
    check: checkHttpUrl,
  }),
  FLAGSMITH: envString({
    description: 'Flagsmith-on-Flagsmith: client environment key for the UI\'s own feature flags (public by design).',
    group: 'ui',
    configPath: 'ui.flagsmithEnvironmentKey',
  }),
};
