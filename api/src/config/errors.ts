// One error type for every configuration problem, carrying all problems at once: an operator fixing a
// deployment wants the whole list, not one variable per restart.

export interface ConfigIssue {
  /** The variable(s) at fault, as the environment spells them (`PORT`, `DJANGO_DB_NAME`). */
  variable: string;
  /** What is wrong, without the variable name; never contains a secret's value. */
  problem: string;
}

export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `${i.variable}: ${i.problem}`);
    super(
      issues.length === 1
        ? `invalid configuration: ${lines[0]}`
        : `invalid configuration (${issues.length} problems):\n  ${lines.join('\n  ')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
