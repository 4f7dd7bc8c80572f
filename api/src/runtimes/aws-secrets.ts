// `<NAME>_SECRET_ARN` → NAME, fetched from AWS Secrets Manager at start (DESIGN.md §4, issue 3 item 7). Lambda has
// no native way to inject a secret into a variable, so the Lambda packaging passes ARNs; any runtime may use them.
// The AWS SDK is loaded only when at least one ARN is present: it costs nothing otherwise, and Lambda's nodejs22.x
// runtime ships it, so the Lambda bundle keeps it external.
import { collectSecretArns, resolveSecretArns, type Env } from '../config';

/** True when `env` sets any `<NAME>_SECRET_ARN` (valid or not: resolveSecretArns reports the invalid ones). */
export function hasSecretArns(env: Env): boolean {
  const { arns, issues } = collectSecretArns(env);
  return Object.keys(arns).length > 0 || issues.length > 0;
}

/** Returns `env` itself when it names no secret ARN; otherwise a copy with every ARN resolved (see resolveSecretArns). */
export async function resolveAwsSecrets(env: Env): Promise<Env> {
  if (!hasSecretArns(env)) return env;
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  // One client per region: the ARN says where the secret lives, which need not be the function's own region.
  const clients = new Map<string, InstanceType<typeof SecretsManagerClient>>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = new SecretsManagerClient({ region })));
    return client;
  };
  try {
    return await resolveSecretArns(env, async (arn) => {
      const out = await clientFor(arn.split(':')[3]).send(new GetSecretValueCommand({ SecretId: arn }));
      if (out.SecretString === undefined) throw new Error('the secret has no string value (binary secrets are not supported)');
      return out.SecretString;
    });
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}
