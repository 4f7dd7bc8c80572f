// What the stacks assume of the API they deploy (issue 3's runtime contract): the port, the health endpoints, the
// image, and where a container reads its AppDynamics configuration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config';

export const API_PORT = 8000;
export const LIVENESS_PATH = '/health/liveness';
/** Readiness checks the database: an instance that cannot reach it gets no traffic. */
export const READINESS_PATH = '/health/readiness';

/** The API runs its migrations at start under the migration lock: a new revision never serves an old schema. */
export const STARTUP_GRACE_SECONDS = 240;

/**
 * The image used when `image.uri` is absent: a placeholder in Docker Hub's namespace, tagged with this kit's version.
 * Docker Hub because it is the one public registry that Container Apps and Cloud Run can both pull from directly
 * (Cloud Run does not pull from ghcr.io). Publish your own build of the root Dockerfile and set `image.uri`; the
 * stacks warn at synth while the placeholder is in use.
 */
export const DEFAULT_IMAGE_REPOSITORY = 'docker.io/flagstack/flagstack';

let kitVersion: string | undefined;
export function flagstackVersion(): string {
  kitVersion ??= (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return kitVersion;
}

export interface ImageChoice {
  uri: string;
  /** True when the config named no image and the placeholder is used. */
  placeholder: boolean;
}

export function containerImage(env: EnvironmentConfig): ImageChoice {
  const uri = env.image?.uri;
  return uri ? { uri, placeholder: false } : { uri: `${DEFAULT_IMAGE_REPOSITORY}:${flagstackVersion()}`, placeholder: true };
}

/**
 * The flagstack CLI in the image: the root Dockerfile has no ENTRYPOINT and `CMD ["node", "dist/server/cli.js",
 * "serve"]` in WORKDIR /app, so a job sets this as its command and its own arguments after it.
 */
export const CLI_COMMAND = ['node', 'dist/server/cli.js'] as const;

/** The file a container's AppDynamics agent bootstrap reads (APPDYNAMICS_CONFIG_PATH's default). */
export const APPDYNAMICS_CONFIG_FILE = '/etc/appdynamics.cfg';
