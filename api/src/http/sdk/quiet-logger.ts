// Request loggers for the hot SDK read routes. Fastify gives every request a pino child logger (bound to its request
// id); with a route log level it is also a level change, which makes pino rebuild every log method per request — more
// CPU than answering /flags/ from memory. These routes log warnings and errors only (never the two per-request info
// lines), so their request logger is a small stand-in: below that level its methods do nothing, and the real child
// logger, with the request id, is created only when something is actually logged. One allocation per request, no
// closures (the build keeps function names, which makes every closure creation a property definition).
import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
type LogArgs = [unknown, ...unknown[]];

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const WARN = LEVELS.indexOf('warn');

class QuietLogger {
  private real?: FastifyBaseLogger;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
    readonly level: string,
    /** Index in LEVELS from which methods log (LEVELS.length: none). */
    private readonly from: number,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.real ??= this.parent.child(this.bindings, { ...this.options, level: this.level }));
  }

  trace(...args: LogArgs): void {
    if (this.from <= 0) (this.logger.trace as (...a: LogArgs) => void)(...args);
  }
  debug(...args: LogArgs): void {
    if (this.from <= 1) (this.logger.debug as (...a: LogArgs) => void)(...args);
  }
  info(...args: LogArgs): void {
    if (this.from <= 2) (this.logger.info as (...a: LogArgs) => void)(...args);
  }
  warn(...args: LogArgs): void {
    if (this.from <= 3) (this.logger.warn as (...a: LogArgs) => void)(...args);
  }
  error(...args: LogArgs): void {
    if (this.from <= 4) (this.logger.error as (...a: LogArgs) => void)(...args);
  }
  fatal(...args: LogArgs): void {
    if (this.from <= 5) (this.logger.fatal as (...a: LogArgs) => void)(...args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify `childLoggerFactory` for the quiet routes: warn, or the configured level when that is higher. */
export function quietChildLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const configured = LEVELS.indexOf(parent.level as (typeof LEVELS)[number]);
  const from = parent.level === 'silent' ? LEVELS.length : Math.max(configured, WARN);
  const level = from >= LEVELS.length ? 'silent' : LEVELS[from]!;
  return new QuietLogger(parent, bindings, options, level, from) as unknown as FastifyBaseLogger;
}
