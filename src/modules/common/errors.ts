import { GraphQLError } from 'graphql';

/** The error codes of DESIGN.md section 1; nothing else reaches a client. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INTERNAL_SERVER_ERROR';

export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required: send a valid bearer token.') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

/**
 * Used both for rows that do not exist and for rows outside the viewer's scope:
 * the answer must be the same so ids cannot be probed. The message never echoes data.
 */
export class NotFoundError extends DomainError {
  constructor(objectType: string) {
    super('NOT_FOUND', `${objectType} not found.`);
  }
}

/** Invalid input; `field` names the offending input path (e.g. "members.0.birthDate"). */
export class BadInputError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('BAD_USER_INPUT', `${field}: ${message}`, { field });
  }
}

/** State-machine violations, uniqueness rules and optimistic-lock failures. */
export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
