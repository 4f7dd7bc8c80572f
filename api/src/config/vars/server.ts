// Process-level settings: where to listen, how many workers, how to log.
import { Type } from '@sinclair/typebox';
import { envBoolean, envCustom, envEnum, envInteger, envString } from '../env-var';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const serverVars = {
  PORT: envInteger({
    description: 'TCP port the API listens on (container runtime).',
    group: 'server',
    configPath: 'port',
    minimum: 1,
    maximum: 65535,
    default: 8000,
  }),
  HOST: envString({
    description: 'Interface the API binds to; 0.0.0.0 for every interface, 127.0.0.1 for local only.',
    group: 'server',
    configPath: 'host',
    default: '0.0.0.0',
  }),
  LOG_LEVEL: envEnum(LOG_LEVELS, {
    description: 'Minimum level of the JSON logs (pino levels).',
    group: 'server',
    configPath: 'logLevel',
    default: 'info',
  }),
  WEB_CONCURRENCY: envCustom(Type.Union([Type.Integer({ minimum: 1, maximum: 256 }), Type.Literal('auto')]), {
    description: 'Worker processes of the container runtime (node:cluster); "auto" means one per CPU.',
    group: 'server',
    configPath: 'webConcurrency',
    default: 1,
  }),
  TRUST_PROXY: envBoolean({
    description: 'Trust X-Forwarded-* headers (set when behind a load balancer or reverse proxy).',
    group: 'server',
    configPath: 'trustProxy',
    default: false,
  }),
  SHUTDOWN_TIMEOUT_MS: envInteger({
    description: 'How long a graceful shutdown waits for in-flight requests before exiting (milliseconds).',
    group: 'server',
    configPath: 'shutdownTimeoutMs',
    minimum: 0,
    maximum: 3_600_000,
    default: 10_000,
  }),
  CACHE_POLL_INTERVAL_MS: envInteger({
    description:
      'How often each instance checks environment versions when LISTEN/NOTIFY is unavailable (milliseconds); the bound on flag staleness.',
    group: 'cache',
    configPath: 'cache.pollIntervalMs',
    minimum: 50,
    maximum: 3_600_000,
    default: 1000,
  }),
};
