// The Flagsmith-style appdynamics.cfg (the AppDynamics Python agent's INI form) and its one-to-one mapping onto the
// Node.js agent's profile() options (IAC-NOTES.md §E):
//
//   [agent]       app → applicationName, tier → tierName, node → nodeName
//   [controller]  host → controllerHostName, port → controllerPort, ssl → controllerSslEnabled,
//                 account → accountName, accesskey → accountAccessKey
//
// No I/O and no dependencies: lib/common renders the same file from these tables, and the preload parses it.

export interface AppDynamicsSettings {
  applicationName?: string;
  tierName?: string;
  nodeName?: string;
  controllerHostName?: string;
  controllerPort?: number;
  controllerSslEnabled?: boolean;
  accountName?: string;
  accountAccessKey?: string;
}

export type AppDynamicsSettingName = keyof AppDynamicsSettings;

export interface IniKey {
  section: 'agent' | 'controller';
  key: string;
  option: AppDynamicsSettingName;
  /** The APPDYNAMICS_* variable the agent (and flagstack) also reads for this option. */
  env: string;
  kind: 'string' | 'port' | 'boolean';
  secret?: boolean;
}

/** Every INI key, in the order the file is written. */
export const APPDYNAMICS_INI_KEYS: readonly IniKey[] = [
  { section: 'agent', key: 'app', option: 'applicationName', env: 'APPDYNAMICS_AGENT_APPLICATION_NAME', kind: 'string' },
  { section: 'agent', key: 'tier', option: 'tierName', env: 'APPDYNAMICS_AGENT_TIER_NAME', kind: 'string' },
  { section: 'agent', key: 'node', option: 'nodeName', env: 'APPDYNAMICS_AGENT_NODE_NAME', kind: 'string' },
  { section: 'controller', key: 'host', option: 'controllerHostName', env: 'APPDYNAMICS_CONTROLLER_HOST_NAME', kind: 'string' },
  { section: 'controller', key: 'port', option: 'controllerPort', env: 'APPDYNAMICS_CONTROLLER_PORT', kind: 'port' },
  { section: 'controller', key: 'ssl', option: 'controllerSslEnabled', env: 'APPDYNAMICS_CONTROLLER_SSL_ENABLED', kind: 'boolean' },
  { section: 'controller', key: 'account', option: 'accountName', env: 'APPDYNAMICS_AGENT_ACCOUNT_NAME', kind: 'string' },
  { section: 'controller', key: 'accesskey', option: 'accountAccessKey', env: 'APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY', kind: 'string', secret: true },
];

/** Options the agent cannot run without; nodeName is optional (the agent derives one). */
export const APPDYNAMICS_REQUIRED: readonly AppDynamicsSettingName[] = [
  'applicationName',
  'tierName',
  'controllerHostName',
  'accountName',
  'accountAccessKey',
];

export class AppDynamicsConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.name = 'AppDynamicsConfigError';
  }
}

const TRUE = new Set(['on', 'true', 'yes', '1']);
const FALSE = new Set(['off', 'false', 'no', '0']);

export function parseBooleanWord(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return undefined;
}

/** Converts one raw value; returns a problem (never quoting a secret) or the value with an optional warning. */
export function convertSetting(
  spec: IniKey,
  raw: string,
  where: string,
): { value: string | number | boolean; warning?: string } | { problem: string } {
  const shown = spec.secret ? '(hidden)' : JSON.stringify(raw);
  switch (spec.kind) {
    case 'string':
      return { value: raw };
    case 'port': {
      const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 65535) return { problem: `${where}: expected a port number (1-65535), got ${shown}` };
      return { value: n };
    }
    case 'boolean': {
      const direct = parseBooleanWord(raw);
      if (direct !== undefined) return { value: direct };
      // The AppDynamics download wizard writes its template's placeholder `ssl = (on)` literally (the seed's file has
      // it): read the word inside the parentheses, and say so.
      const wizard = /^\((\w+)\)$/.exec(raw.trim());
      const inner = wizard ? parseBooleanWord(wizard[1]) : undefined;
      if (inner !== undefined) {
        return {
          value: inner,
          warning: `${where} = ${raw.trim()} is the download wizard's placeholder form; read as ${inner ? 'on' : 'off'} (write ${inner ? 'on' : 'off'} to silence this warning)`,
        };
      }
      return { problem: `${where}: expected on or off, got ${shown}` };
    }
  }
}

export interface ParsedIni {
  settings: AppDynamicsSettings;
  warnings: string[];
}

/**
 * Parses an appdynamics.cfg. Sections and keys are case-insensitive; `key = value` and `key: value` both work; lines
 * starting with `#` or `;` are comments. Unknown sections and keys (the Python agent's [log], [proxy], …) are
 * ignored with a warning. A bad value, a duplicate key or a line that is not INI is an error naming the line.
 */
export function parseAppDynamicsIni(text: string, source = 'appdynamics.cfg'): ParsedIni {
  const settings: Record<string, unknown> = {};
  const warnings: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let section: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    const at = `${source}:${index + 1}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
    if (header) {
      section = header[1].toLowerCase();
      if (section !== 'agent' && section !== 'controller') warnings.push(`${at}: section [${header[1]}] is not used by the Node.js agent; ignored`);
      return;
    }
    const pair = /^([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!pair) {
      problems.push(`${at}: expected "key = value" or "[section]", got ${JSON.stringify(trimmed.slice(0, 40))}`);
      return;
    }
    const key = pair[1].toLowerCase();
    const value = pair[2].trim();
    if (section === undefined) {
      problems.push(`${at}: "${pair[1]}" comes before any [section]`);
      return;
    }
    if (section !== 'agent' && section !== 'controller') return;
    const spec = APPDYNAMICS_INI_KEYS.find((k) => k.section === section && k.key === key);
    if (!spec) {
      warnings.push(`${at}: [${section}] ${pair[1]} is not one of ${APPDYNAMICS_INI_KEYS.filter((k) => k.section === section).map((k) => k.key).join(', ')}; ignored`);
      return;
    }
    const where = `${at}: [${section}] ${spec.key}`;
    if (seen.has(spec.option)) {
      problems.push(`${where} is set twice`);
      return;
    }
    seen.add(spec.option);
    if (value === '') return; // an unfilled template line: the same as not set
    const converted = convertSetting(spec, value, where);
    if ('problem' in converted) problems.push(converted.problem);
    else {
      settings[spec.option] = converted.value;
      if (converted.warning) warnings.push(converted.warning);
    }
  });
  if (problems.length > 0) throw new AppDynamicsConfigError(problems);
  return { settings: settings as AppDynamicsSettings, warnings };
}

/** Renders settings as an appdynamics.cfg that parseAppDynamicsIni reads back to the same settings. */
export function renderAppDynamicsIni(settings: AppDynamicsSettings, header?: string): string {
  const out: string[] = [];
  if (header) for (const line of header.split('\n')) out.push(`# ${line}`.trimEnd());
  for (const section of ['agent', 'controller'] as const) {
    if (out.length > 0) out.push('');
    out.push(`[${section}]`);
    for (const spec of APPDYNAMICS_INI_KEYS.filter((k) => k.section === section)) {
      const value = settings[spec.option];
      if (value === undefined) continue;
      const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
      if (/[\r\n]/.test(text) || text !== text.trim()) {
        throw new AppDynamicsConfigError([`${spec.option}: a value in appdynamics.cfg cannot contain line breaks or surrounding spaces`]);
      }
      out.push(`${spec.key} = ${text}`);
    }
  }
  return `${out.join('\n')}\n`;
}
