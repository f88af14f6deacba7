import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, type ErrorCode } from './modules/common/errors.js';
import { logger } from './logger.js';

const CLIENT_CODES = new Set<ErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT']);

/** GraphQL's own request errors are the client's input too. */
const INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

interface ValidationErrorShape {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorShape[];
}

/** class-validator errors flattened to "input.members.0.givenName: ..." so the field is named. */
function describeValidation(errors: ValidationErrorShape[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m.replace(new RegExp(`^${e.property} `), '')}`);
    return [...own, ...describeValidation(e.children ?? [], path)];
  });
}

/**
 * graphql-js quotes the client's value in its input messages — 'Variable "$i" got invalid value
 * "1961-13-45" at "i.birthDate"; …', 'Expected value of type "Date", found "…"', 'String cannot
 * represent a non string value: 111222333' — and an input value may be personal data (a BSN, a
 * birth date, a name). The message keeps the variable, the path, the expected type and the
 * reason, without the value.
 */
export function withoutInputValues(message: string): string {
  const variable = /^Variable "\$(\w+)" got invalid value [\s\S]*? at "(\1(?:[.[][^"]*)?)"; ([\s\S]*)$/.exec(message);
  if (variable) return `Variable "$${variable[1]}" got an invalid value at "${variable[2]}"; ${withoutValueInReason(variable[3]!)}`;
  const whole = /^Variable "\$(\w+)" got invalid value [\s\S]*?; ([\s\S]*)$/.exec(message);
  if (whole) return `Variable "$${whole[1]}" got an invalid value; ${withoutValueInReason(whole[2]!)}`;
  const literal = /^Expected value of type "([^"]+)", found [\s\S]*?(?:; ([\s\S]*))?$/.exec(message);
  if (literal) return `Expected value of type "${literal[1]}"${literal[2] ? `; ${withoutValueInReason(literal[2])}` : '.'}`;
  return withoutValueInReason(message);
}

/** The reason part: graphql-js puts the value after a colon ('…non string value: 123') or quotes it first ('Value "X" does not exist…'). */
function withoutValueInReason(reason: string): string {
  return reason
    .replace(/^(\w+ cannot represent [^:]*): [\s\S]*$/, '$1.')
    .replace(/^Value [\s\S]*? does not exist in "([^"]+)" enum\.?/, 'Value does not exist in "$1" enum.')
    .replace(/^Enum "([^"]+)" cannot represent non-enum value[\s\S]*$/, 'Enum "$1" cannot represent this value.');
}

/**
 * Maps every error to the codes of DESIGN.md. Anything unexpected becomes
 * INTERNAL_SERVER_ERROR with a request id; in production its message and stack never leave
 * the server (they are logged, without variables, which may hold personal data).
 */
export function createErrorFormatter(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code as string | undefined;
    const base = { locations: formatted.locations, path: formatted.path };

    if (original instanceof GraphQLError && Array.isArray(original.extensions?.validationErrors)) {
      const details = describeValidation(original.extensions.validationErrors as ValidationErrorShape[]);
      return {
        ...base,
        message: details.length ? `Invalid input: ${details.join('; ')}` : 'Invalid input.',
        extensions: { code: 'BAD_USER_INPUT', fields: details.map((d) => d.split(':')[0]) },
      };
    }
    // Our own errors' messages are written not to echo data; graphql-js's input messages do.
    const message = original instanceof DomainError ? formatted.message : withoutInputValues(formatted.message);
    if (code && CLIENT_CODES.has(code as ErrorCode)) {
      const { http: _http, stacktrace: _s, ...extensions } = formatted.extensions ?? {};
      return { ...base, message, extensions };
    }
    if (code && INPUT_CODES.has(code)) {
      return { ...base, message, extensions: { code: 'BAD_USER_INPUT' } };
    }
    // Database messages can quote values; in production only the error's name and frames are logged.
    const err = original instanceof Error ? original : new Error(String(original));
    logger.error(
      {
        err: production
          ? { name: err.name, stack: (err.stack ?? '').split('\n').slice(1).join('\n') }
          : { name: err.name, message: err.message, stack: err.stack },
        path: formatted.path,
      },
      'internal error',
    );
    // The request id is added by the server's plugin, which knows the request.
    return {
      ...base,
      message: production ? 'Internal server error.' : `Internal server error: ${formatted.message}`,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
