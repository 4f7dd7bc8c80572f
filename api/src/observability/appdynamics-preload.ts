// The container's AppDynamics preload: imported first by the CLI entry (and usable as `node -r`), so the agent is
// started before any other module is loaded. A CommonJS module with one side effect; with APP_DYNAMICS off it
// only reads that variable. Idempotent: loading it twice starts the agent once.
import { bootAppDynamics } from './appdynamics';

bootAppDynamics('container');
