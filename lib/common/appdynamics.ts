// Renders the AppDynamics agent configuration a container reads at /etc/appdynamics.cfg (Flagsmith's INI form,
// IAC-NOTES.md §E) from the deployment config's typed settings, and the `profile()` options the API's loader
// derives from it — so stacks and tests can state what the agent will receive. The access key is a parameter: a
// stack passes the secret store's value (or a token that resolves to it at deploy time), never a literal in config.
import type { AppDynamicsDeploymentConfig } from '../config';

/** The options the Node.js agent's profile() receives, one per INI key. */
export interface AppDynamicsProfileOptions {
  applicationName: string;
  tierName: string;
  nodeName?: string;
  controllerHostName: string;
  controllerPort: number;
  controllerSslEnabled: boolean;
  accountName: string;
  accountAccessKey: string;
}

export class AppDynamicsRenderError extends Error {}

/** Defaults of the deployment config: TLS on; port 443 with TLS, 8090 without. */
export function appDynamicsProfileOptions(appd: AppDynamicsDeploymentConfig, accessKey: string): AppDynamicsProfileOptions {
  const missing = (['controllerHost', 'accountName', 'applicationName', 'tierName'] as const).filter((k) => !appd[k]);
  if (missing.length > 0) throw new AppDynamicsRenderError(`appDynamics: ${missing.join(', ')} required to render appdynamics.cfg`);
  if (!accessKey) throw new AppDynamicsRenderError('appDynamics: the access key is empty');
  const ssl = appd.ssl ?? true;
  const options: AppDynamicsProfileOptions = {
    applicationName: appd.applicationName!,
    tierName: appd.tierName!,
    controllerHostName: appd.controllerHost!,
    controllerPort: appd.controllerPort ?? (ssl ? 443 : 8090),
    controllerSslEnabled: ssl,
    accountName: appd.accountName!,
    accountAccessKey: accessKey,
  };
  if (appd.nodeName) options.nodeName = appd.nodeName;
  return options;
}

function line(key: string, value: string | number | boolean): string {
  const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  if (/[\r\n]/.test(text) || text !== text.trim()) {
    throw new AppDynamicsRenderError(`appDynamics: the value of ${key} cannot contain line breaks or surrounding spaces`);
  }
  return `${key} = ${text}`;
}

/** The appdynamics.cfg text: [agent] app/tier/node, [controller] host/port/ssl/account/accesskey. */
export function renderAppDynamicsCfg(appd: AppDynamicsDeploymentConfig, accessKey: string): string {
  const o = appDynamicsProfileOptions(appd, accessKey);
  const lines = [
    '# AppDynamics agent settings for flagstack (read at start when APP_DYNAMICS=on).',
    '# Generated from the deployment config; holds the access key: deliver it as a secret.',
    '[agent]',
    line('app', o.applicationName),
    line('tier', o.tierName),
    ...(o.nodeName ? [line('node', o.nodeName)] : []),
    '',
    '[controller]',
    line('host', o.controllerHostName),
    line('port', o.controllerPort),
    line('ssl', o.controllerSslEnabled),
    line('account', o.accountName),
    line('accesskey', o.accountAccessKey),
  ];
  return `${lines.join('\n')}\n`;
}
