// Problems in the deployment config, each with the exact path of the offending value
// (`environments[2].database.engine`), all reported together.

export interface DeploymentConfigIssue {
  /** Path in the file, e.g. `environments[2].database.engine`; empty for the file as a whole. */
  path: string;
  message: string;
}

export class DeploymentConfigError extends Error {
  readonly source: string;
  readonly issues: readonly DeploymentConfigIssue[];

  constructor(source: string, issues: readonly DeploymentConfigIssue[]) {
    const lines = issues.map(formatIssue);
    super(
      issues.length === 1
        ? `${source}: ${lines[0]}`
        : `${source}: ${issues.length} problems:\n  ${lines.join('\n  ')}`,
    );
    this.name = 'DeploymentConfigError';
    this.source = source;
    this.issues = issues;
  }
}

export function formatIssue(issue: DeploymentConfigIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** `['environments', 2, 'tags', 'cost center']` → `environments[2].tags["cost center"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** JSON pointer (`/environments/2/name`, as typebox reports) → segments. */
export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A value as it appears after "got": JSON, shortened. */
export function display(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
