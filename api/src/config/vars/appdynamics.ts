// AppDynamics Node.js agent (IAC-NOTES.md §E): APP_DYNAMICS switches the agent on; the APPDYNAMICS_* names are
// the ones the agent itself falls back to, so the same environment configures both it and us.
import { envBoolean, envInteger, envString } from '../env-var';

export const appDynamicsVars = {
  APP_DYNAMICS: envBoolean({
    description: 'Load the AppDynamics agent at start (on/off).',
    group: 'appdynamics',
    configPath: 'appDynamics.enabled',
    default: false,
  }),
  APPDYNAMICS_CONFIG_PATH: envString({
    description:
      'Path of a Flagsmith-style appdynamics.cfg ([agent] app/tier/node, [controller] host/port/ssl/account/accesskey) for the agent bootstrap.',
    group: 'appdynamics',
    configPath: 'appDynamics.configPath',
    default: '/etc/appdynamics.cfg',
  }),
  APPDYNAMICS_AGENT_PATH: envString({
    description: 'Where the agent module is (a package name or a path, e.g. a Lambda layer\'s /opt/nodejs/node_modules/appdynamics).',
    group: 'appdynamics',
    configPath: 'appDynamics.agentPath',
    default: 'appdynamics',
  }),
  APPDYNAMICS_CONTROLLER_HOST_NAME: envString({
    description: 'AppDynamics controller host name (e.g. acme.saas.appdynamics.com).',
    group: 'appdynamics',
    configPath: 'appDynamics.controllerHostName',
  }),
  APPDYNAMICS_CONTROLLER_PORT: envInteger({
    description: 'AppDynamics controller port (usually 443 with TLS, 8090 without).',
    group: 'appdynamics',
    configPath: 'appDynamics.controllerPort',
    minimum: 1,
    maximum: 65535,
  }),
  APPDYNAMICS_CONTROLLER_SSL_ENABLED: envBoolean({
    description: 'Connect to the AppDynamics controller over TLS.',
    group: 'appdynamics',
    configPath: 'appDynamics.controllerSslEnabled',
  }),
  APPDYNAMICS_AGENT_ACCOUNT_NAME: envString({
    description: 'AppDynamics controller account name.',
    group: 'appdynamics',
    configPath: 'appDynamics.accountName',
  }),
  APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY: envString({
    description: 'AppDynamics controller account access key.',
    group: 'appdynamics',
    configPath: 'appDynamics.accountAccessKey',
    secret: true,
  }),
  APPDYNAMICS_AGENT_APPLICATION_NAME: envString({
    description: 'AppDynamics business application name.',
    group: 'appdynamics',
    configPath: 'appDynamics.applicationName',
  }),
  APPDYNAMICS_AGENT_TIER_NAME: envString({
    description: 'AppDynamics tier name (e.g. api).',
    group: 'appdynamics',
    configPath: 'appDynamics.tierName',
  }),
  APPDYNAMICS_AGENT_NODE_NAME: envString({
    description: 'AppDynamics node name (the agent derives one when unset).',
    group: 'appdynamics',
    configPath: 'appDynamics.nodeName',
  }),
};
