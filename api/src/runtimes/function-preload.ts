// The function runtimes' AppDynamics preload: the first import of lambda.ts, azure.ts and gcp.ts, so that the
// (customer-supplied) agent is started before Fastify, pg or http are loaded. Off by default and free when off.
import { bootAppDynamics } from '../observability/appdynamics';

bootAppDynamics('function');
