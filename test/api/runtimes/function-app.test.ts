// The shared part of the function runtimes: configuration loading with secret ARNs.
import { loadFunctionConfig } from '../../../api/src/runtimes/function-app';

describe('secret ARNs outside Lambda', () => {
  test('Azure and Cloud Functions refuse <NAME>_SECRET_ARN instead of leaving NAME at its default', async () => {
    const env = { DATABASE_URL_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' };
    await expect(loadFunctionConfig({ runtime: 'azure' }, env)).rejects.toThrow(/DATABASE_URL_SECRET_ARN: AWS Secrets Manager ARNs are resolved on Lambda only/);
    // With a resolver (Lambda), the resolved environment is what gets loaded.
    const config = await loadFunctionConfig({ runtime: 'lambda', prepareEnv: async () => ({ DATABASE_URL: 'postgres://u:p@db:5432/f' }) }, env);
    expect(config.database.engine).toBe('postgres');
  });
});
