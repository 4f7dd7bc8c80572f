import { DeploymentConfigError, formatIssue, parseDeploymentConfig } from '../../../lib/config';

/** A file with one environment (aws, eu-west-1) plus the given settings. */
export function oneEnv(settings: Record<string, unknown> = {}, defaults?: Record<string, unknown>): Record<string, unknown> {
  return { project: 'flagstack', ...(defaults ? { defaults } : {}), environments: [{ name: 'e', cloud: 'aws', region: 'eu-west-1', ...settings }] };
}

/** The problems parseDeploymentConfig reports, as `path: message` lines; [] when it accepts the file. */
export function problems(doc: unknown): string[] {
  try {
    parseDeploymentConfig(doc, 'test.json');
    return [];
  } catch (err) {
    if (err instanceof DeploymentConfigError) return err.issues.map(formatIssue);
    throw err;
  }
}
