import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploymentConfigPath, loadDeploymentConfig } from '../../../lib/config';
import { oneEnv } from './helpers';

describe('choosing the config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flagstack-config-'));
  mkdirSync(join(dir, 'conf'));
  writeFileSync(join(dir, 'flagstack.config.json'), JSON.stringify(oneEnv({ name: 'from-default' })));
  writeFileSync(join(dir, 'conf', 'other.json'), JSON.stringify(oneEnv({ name: 'from-variable' })));
  writeFileSync(join(dir, 'conf', 'explicit.json'), JSON.stringify(oneEnv({ name: 'from-argument' })));
  const names = (c: { environments: { name: string }[] }) => c.environments.map((e) => e.name);

  it('reads ./flagstack.config.json by default', () => {
    expect(names(loadDeploymentConfig(undefined, { cwd: dir, env: {} }))).toEqual(['from-default']);
  });

  it('reads the file FLAGSTACK_CONFIG names (relative to the working directory, or absolute)', () => {
    expect(names(loadDeploymentConfig(undefined, { cwd: dir, env: { FLAGSTACK_CONFIG: 'conf/other.json' } }))).toEqual(['from-variable']);
    expect(names(loadDeploymentConfig(undefined, { cwd: '/', env: { FLAGSTACK_CONFIG: join(dir, 'conf/other.json') } }))).toEqual(['from-variable']);
    expect(deploymentConfigPath(undefined, { cwd: dir, env: { FLAGSTACK_CONFIG: '  ' } })).toBe(join(dir, 'flagstack.config.json'));
  });

  it('reads process.env.FLAGSTACK_CONFIG when no env is given', () => {
    const saved = process.env.FLAGSTACK_CONFIG;
    process.env.FLAGSTACK_CONFIG = join(dir, 'conf/other.json');
    try {
      expect(names(loadDeploymentConfig())).toEqual(['from-variable']);
    } finally {
      if (saved === undefined) delete process.env.FLAGSTACK_CONFIG;
      else process.env.FLAGSTACK_CONFIG = saved;
    }
  });

  it('prefers an explicit path over FLAGSTACK_CONFIG', () => {
    expect(names(loadDeploymentConfig('conf/explicit.json', { cwd: dir, env: { FLAGSTACK_CONFIG: 'conf/other.json' } }))).toEqual(['from-argument']);
  });

  it('says which file is missing and how to choose another', () => {
    expect(() => loadDeploymentConfig(undefined, { cwd: dir, env: { FLAGSTACK_CONFIG: 'nope.json' } })).toThrow(
      `${join(dir, 'nope.json')}: file not found (set FLAGSTACK_CONFIG to read another file)`,
    );
  });

  it('names the file in validation errors', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(oneEnv({ cloud: 'mars' })));
    expect(() => loadDeploymentConfig('bad.json', { cwd: dir })).toThrow(`${join(dir, 'bad.json')}: environments[0].cloud: expected one of aws, azure, gcp, got "mars"`);
  });
});
