// Starts the AppDynamics agent for `flagstack serve` (and only for it: migrate, create-admin and config are short
// jobs the agent has no business in). Imported first by cli/entry.ts. With APP_DYNAMICS off it reads one variable.
import { bootAppDynamics } from '../observability/appdynamics';

if (process.argv[2] === 'serve') bootAppDynamics('container');
