// Errors services raise; http/ turns each kind into its status and JSON body. A field error names the field.

/** A request that cannot be applied as sent: 400, with the messages keyed by the field they concern. */
export class ValidationError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super(Object.entries(fields).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; '));
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}

export class NotFoundError extends Error {
  constructor(readonly resource: string, readonly id?: string | number) {
    super(id === undefined ? `${resource} not found` : `${resource} ${id} not found`);
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to perform this action.') {
    super(message);
  }
}

export class ConflictError extends Error {
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

export class UnauthenticatedError extends Error {
  constructor(message = 'Authentication credentials were not provided.') {
    super(message);
  }
}

/** Too many attempts: 429 with Retry-After (seconds). */
export class TooManyRequestsError extends Error {
  constructor(readonly retryAfterSeconds: number, message = 'Too many failed sign-in attempts; try again later.') {
    super(message);
  }
}

/** A service the request depends on (an LDAP directory) cannot be reached: 503 with Retry-After. Not the caller's fault. */
export class ServiceUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds = 5, options?: { cause?: unknown }) {
    super(message, options);
  }
}
