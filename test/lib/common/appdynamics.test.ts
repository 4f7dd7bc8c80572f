// lib/common renders /etc/appdynamics.cfg from the deployment config; the API's loader reads it back. The round
// trip must give the agent's profile() exactly the options the deployment config describes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDynamicsProfileOptions, renderAppDynamicsCfg, AppDynamicsRenderError } from '../../../lib/common/appdynamics';
import { resolveAgentOptions, startAppDynamics } from '../../../api/src/observability/appdynamics';
import type { AppDynamicsDeploymentConfig } from '../../../lib/config';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flagstack-appd-lib-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: [string, AppDynamicsDeploymentConfig][] = [
  ['defaults (TLS, port 443, no node)', { enabled: true, controllerHost: 'acme.saas.appdynamics.com', accountName: 'acme', applicationName: 'flagstack', tierName: 'api', accessKeySecret: 'appd-key' }],
  ['plain HTTP, port 8090, a node name', { enabled: true, controllerHost: 'appd.internal', ssl: false, accountName: 'customer1', applicationName: 'flags', tierName: 'api', nodeName: 'api-eu-1', accessKeySecret: 'k' }],
  ['explicit port', { enabled: true, controllerHost: 'c.example', controllerPort: 8181, ssl: true, accountName: 'a', applicationName: 'b', tierName: 'c', accessKeySecret: 'k' }],
];

describe.each(cases)('%s', (_name, appd) => {
  test('render → parse → profile() options equal the typed settings', () => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.cfg`);
    writeFileSync(file, renderAppDynamicsCfg(appd, 'the-access-key'));
    const expected = appDynamicsProfileOptions(appd, 'the-access-key');
    const { options, warnings } = resolveAgentOptions({ APPDYNAMICS_CONFIG_PATH: file }, 'container');
    expect(warnings).toEqual([]);
    expect(options).toEqual(expected);
    // And what the agent's profile() receives, through the loader with a stand-in module.
    const received: unknown[] = [];
    startAppDynamics({
      packaging: 'container',
      // Any resolvable module stands for the agent's location; `load` hands back the stand-in.
      env: { APP_DYNAMICS: 'on', APPDYNAMICS_CONFIG_PATH: file, APPDYNAMICS_AGENT_PATH: 'semver' },
      load: () => ({ profile: (o: unknown) => received.push(o) }),
      warn: () => undefined,
    });
    expect(received).toEqual([expected]);
  });
});

test('defaults follow the deployment config: TLS on, 443; without TLS 8090', () => {
  expect(appDynamicsProfileOptions(cases[0][1], 'k')).toMatchObject({ controllerSslEnabled: true, controllerPort: 443 });
  expect(appDynamicsProfileOptions(cases[1][1], 'k')).toMatchObject({ controllerSslEnabled: false, controllerPort: 8090, nodeName: 'api-eu-1' });
});

test('missing settings and unsafe values are refused', () => {
  expect(() => renderAppDynamicsCfg({ enabled: true, controllerHost: 'h' }, 'k')).toThrow(/accountName, applicationName, tierName required/);
  expect(() => renderAppDynamicsCfg(cases[0][1], '')).toThrow(AppDynamicsRenderError);
  expect(() => renderAppDynamicsCfg({ ...cases[0][1], tierName: 'api\n[controller]' }, 'k')).toThrow(/line breaks/);
});
