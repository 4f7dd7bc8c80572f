// The AppDynamics loader's parts: the appdynamics.cfg reader (INI, the wizard's `ssl = (on)`), the APPDYNAMICS_*
// overrides, the function-packaging rules, the Node version warning and the loader with a stand-in module (the
// real agent cannot be installed here: its npm install downloads native parts from the vendor's CDN).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAppDynamicsIni, renderAppDynamicsIni, AppDynamicsConfigError } from '../../../api/src/observability/appdynamics-ini';
import { nodeVersionWarning, resolveAgentOptions, startAppDynamics } from '../../../api/src/observability/appdynamics';
import { ConfigError, loadConfig, validateEnv } from '../../../api/src/config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flagstack-appd-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIZARD_CFG = `[agent]
app = flagstack
tier = api
node = api-1

[controller]
host = acme.saas.appdynamics.com
port = 443
ssl = (on)
account = acme
accesskey = s3cr3t
`;

describe('parseAppDynamicsIni', () => {
  test('maps every key one to one onto profile() options; `ssl = (on)` is read as on with a warning', () => {
    const { settings, warnings } = parseAppDynamicsIni(WIZARD_CFG, 'appdynamics.cfg');
    expect(settings).toEqual({
      applicationName: 'flagstack',
      tierName: 'api',
      nodeName: 'api-1',
      controllerHostName: 'acme.saas.appdynamics.com',
      controllerPort: 443,
      controllerSslEnabled: true,
      accountName: 'acme',
      accountAccessKey: 's3cr3t',
    });
    expect(warnings).toEqual(["appdynamics.cfg:9: [controller] ssl = (on) is the download wizard's placeholder form; read as on (write on to silence this warning)"]);
  });

  test('accepts `key: value`, comments, case-insensitive names, (off), and ignores other sections with a warning', () => {
    const { settings, warnings } = parseAppDynamicsIni('; comment\n[AGENT]\nApp: a\n[controller]\nSSL = (off)\nport=8090\n[log]\ndir = /tmp\n');
    expect(settings).toEqual({ applicationName: 'a', controllerSslEnabled: false, controllerPort: 8090 });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/section \[log\] is not used by the Node\.js agent; ignored/);
  });

  test('every bad line is reported with its line number; the access key is never echoed', () => {
    const text = 'app = x\n[controller]\nport = 99999\nssl = maybe\naccesskey = (on-secret)\nhost = a\nhost = b\nnonsense\n[agent]\nwhat = 1\n';
    let error: AppDynamicsConfigError | undefined;
    try {
      parseAppDynamicsIni(text, 'f.cfg');
    } catch (e) {
      error = e as AppDynamicsConfigError;
    }
    expect(error?.problems).toEqual([
      'f.cfg:1: "app" comes before any [section]',
      'f.cfg:3: [controller] port: expected a port number (1-65535), got "99999"',
      'f.cfg:4: [controller] ssl: expected on or off, got "maybe"',
      'f.cfg:7: [controller] host is set twice',
      'f.cfg:8: expected "key = value" or "[section]", got "nonsense"',
    ]);
  });

  test('renderAppDynamicsIni writes what the parser reads back', () => {
    const settings = parseAppDynamicsIni(WIZARD_CFG).settings;
    expect(parseAppDynamicsIni(renderAppDynamicsIni(settings, 'generated')).settings).toEqual(settings);
    expect(() => renderAppDynamicsIni({ applicationName: 'a\nb' })).toThrow(/line breaks/);
  });
});

describe('resolveAgentOptions', () => {
  test('APPDYNAMICS_* variables override the file', () => {
    const file = join(dir, 'override.cfg');
    writeFileSync(file, WIZARD_CFG);
    const { options } = resolveAgentOptions(
      { APPDYNAMICS_CONFIG_PATH: file, APPDYNAMICS_CONTROLLER_PORT: '8443', APPDYNAMICS_CONTROLLER_SSL_ENABLED: 'false', APPDYNAMICS_AGENT_NODE_NAME: 'n2' },
      'container',
    );
    expect(options).toMatchObject({ controllerPort: 8443, controllerSslEnabled: false, nodeName: 'n2', tierName: 'api' });
  });

  test('a container needs the file; a function takes its settings from variables and names the missing ones', () => {
    expect(() => resolveAgentOptions({ APPDYNAMICS_CONFIG_PATH: join(dir, 'absent.cfg') }, 'container')).toThrow(/absent\.cfg does not exist \(APPDYNAMICS_CONFIG_PATH\)/);
    let error: AppDynamicsConfigError | undefined;
    try {
      resolveAgentOptions({ APPDYNAMICS_CONFIG_PATH: join(dir, 'absent.cfg'), APPDYNAMICS_CONTROLLER_HOST_NAME: 'h', APPDYNAMICS_AGENT_ACCOUNT_NAME: 'a' }, 'function');
    } catch (e) {
      error = e as AppDynamicsConfigError;
    }
    expect(error?.problems).toEqual([
      'APPDYNAMICS_AGENT_APPLICATION_NAME is required when APP_DYNAMICS is on (a function gets the agent settings as variables)',
      'APPDYNAMICS_AGENT_TIER_NAME is required when APP_DYNAMICS is on (a function gets the agent settings as variables)',
      'APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY is required when APP_DYNAMICS is on (a function gets the agent settings as variables)',
    ]);
  });
});

describe('startAppDynamics', () => {
  const functionEnv = {
    APP_DYNAMICS: 'on',
    APPDYNAMICS_CONTROLLER_HOST_NAME: 'acme.saas.appdynamics.com',
    APPDYNAMICS_CONTROLLER_PORT: '443',
    APPDYNAMICS_CONTROLLER_SSL_ENABLED: 'on',
    APPDYNAMICS_AGENT_ACCOUNT_NAME: 'acme',
    APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY: 'k',
    APPDYNAMICS_AGENT_APPLICATION_NAME: 'flagstack',
    APPDYNAMICS_AGENT_TIER_NAME: 'fn',
  };

  function standIn(engines: string): string {
    const path = mkdtempSync(join(dir, 'agent-'));
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'package.json'), JSON.stringify({ name: 'appdynamics', version: '24.4.1', main: 'index.js', engines: { node: engines } }));
    writeFileSync(join(path, 'index.js'), 'module.exports.profile = (o) => { module.exports.received = o; };');
    return path;
  }

  test('off: nothing is read or loaded', () => {
    const load = jest.fn();
    expect(startAppDynamics({ packaging: 'container', env: { APPDYNAMICS_AGENT_PATH: '/nowhere' }, load })).toEqual({ enabled: false });
    expect(load).not.toHaveBeenCalled();
  });

  test('a function packaging with the agent at a customer-supplied path: profile() gets the variables', () => {
    const agent = standIn('>=12 <=v21.*');
    const warnings: string[] = [];
    const loaded: { received?: unknown }[] = [];
    const status = startAppDynamics({
      packaging: 'function',
      env: { ...functionEnv, APPDYNAMICS_AGENT_PATH: agent },
      warn: (w) => warnings.push(w),
      nodeVersion: 'v22.11.0',
      load: (p) => {
        const mod = require(p) as { received?: unknown };
        loaded.push(mod);
        return mod;
      },
    });
    expect(status).toMatchObject({ enabled: true, agentVersion: '24.4.1' });
    expect(loaded[0].received).toEqual({
      controllerHostName: 'acme.saas.appdynamics.com',
      controllerPort: 443,
      controllerSslEnabled: true,
      accountName: 'acme',
      accountAccessKey: 'k',
      applicationName: 'flagstack',
      tierName: 'fn',
    });
    expect(warnings).toEqual([expect.stringMatching(/declares Node >=12 <=v21\.\*, but this is Node 22\.11\.0/)]);
  });

  test('a function packaging without a named agent is rejected, naming APPDYNAMICS_AGENT_PATH', () => {
    expect(() => startAppDynamics({ packaging: 'function', env: functionEnv })).toThrow(/APPDYNAMICS_AGENT_PATH is required when APP_DYNAMICS is on in a function packaging/);
  });

  test('a module without profile() is not taken for the agent', () => {
    const path = mkdtempSync(join(dir, 'not-agent-'));
    writeFileSync(join(path, 'index.js'), 'module.exports = {};');
    expect(() => startAppDynamics({ packaging: 'function', env: { ...functionEnv, APPDYNAMICS_AGENT_PATH: path } })).toThrow(/has no profile\(\) function/);
  });

  test('nodeVersionWarning follows the declared range', () => {
    expect(nodeVersionWarning('>=12 <=v21.*', 'v20.20.2')).toBeUndefined();
    expect(nodeVersionWarning('>=12 <=v21.*', 'v21.7.0')).toBeUndefined();
    expect(nodeVersionWarning('>=12 <=v21.*', 'v22.23.3')).toMatch(/Node 22\.23\.3/);
  });
});

describe('the function-packaging rule of the runtime contract', () => {
  test('APP_DYNAMICS on a function needs APPDYNAMICS_AGENT_PATH and the settings as variables (a secret ARN counts)', () => {
    const issues = validateEnv({ APP_DYNAMICS: 'on', APPDYNAMICS_CONTROLLER_HOST_NAME: 'h' }, { packaging: 'function' });
    expect(issues.map((i) => i.variable)).toEqual([
      'APPDYNAMICS_AGENT_PATH',
      'APPDYNAMICS_AGENT_ACCOUNT_NAME',
      'APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY',
      'APPDYNAMICS_AGENT_APPLICATION_NAME',
      'APPDYNAMICS_AGENT_TIER_NAME',
    ]);
    const ok = {
      APP_DYNAMICS: 'on',
      APPDYNAMICS_AGENT_PATH: '/opt/nodejs/node_modules/appdynamics',
      APPDYNAMICS_CONTROLLER_HOST_NAME: 'h',
      APPDYNAMICS_AGENT_ACCOUNT_NAME: 'a',
      APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:appd-AbCdEf',
      APPDYNAMICS_AGENT_APPLICATION_NAME: 'app',
      APPDYNAMICS_AGENT_TIER_NAME: 'tier',
    };
    expect(validateEnv(ok, { packaging: 'function' })).toEqual([]);
    // The same environment in a container is fine without them: the file carries the settings.
    expect(validateEnv({ APP_DYNAMICS: 'on' })).toEqual([]);
    expect(() => loadConfig({ APP_DYNAMICS: 'on' }, { packaging: 'function' })).toThrow(ConfigError);
  });
});
