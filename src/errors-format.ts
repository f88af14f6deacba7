import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, type ErrorCode } from './modules/common/errors.js';
import { logger } from './logger.js';
import { DATE_REASONS } from './modules/common/scalars.js';

const CLIENT_CODES = new Set<ErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT']);

/** GraphQL's own request errors are the client's input too. */
const INPUT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
]);

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
 * represent a non string value: 111222333', 'DateTime cannot represent an invalid date-time-string
 * …' — and an input value may be personal data (a BSN, a birth date, a name). The message is
 * rebuilt from what is not the value: the variable, the path (graphql-js escapes every quote
 * inside a printed value, so ' at "' marks the path), the expected type, and a fixed sentence
 * per kind of reason; a reason of another kind becomes a generic one.
 */
export function withoutInputValues(message: string): string {
  const variable = /^Variable "\$(\w+)" got invalid value [\s\S]*? at "(\1(?:[.[][^"]*)?)"; ([\s\S]*)$/.exec(message);
  if (variable) return `Variable "$${variable[1]}" got an invalid value at "${variable[2]}"; ${safeReason(variable[3]!)}`;
  const whole = /^Variable "\$(\w+)" got invalid value /.exec(message);
  if (whole) return `Variable "$${whole[1]}" got an invalid value; ${safeReason(lastReason(message))}`;
  const literal = /^Expected value of type "([^"]+)", found /.exec(message);
  if (literal) {
    const reason = lastReason(message);
    return `Expected value of type "${literal[1]}"${reason ? `; ${safeReason(reason)}` : '.'}`;
  }
  return VALUE_BEARING.test(message) ? safeReason(message) : message;
}

/** The reason after the value: the last '; ' that starts a reason of a known kind (empty: none). */
function lastReason(message: string): string {
  const m = /^[\s\S]*; ((?:Field "|Expected type "|\w+ cannot represent|Value |Enum "|Int |Float |Date must )[\s\S]*)$/.exec(message);
  return m ? m[1]! : '';
}

/** Reasons that may carry the value. */
const VALUE_BEARING = /^(?:\w+ cannot represent|Value [\s\S]* does not exist in|Enum "[^"]+" cannot represent)/;

/** Our own scalars' reasons, which never carry the value. */
const OWN_REASONS: ReadonlySet<string> = new Set(Object.values(DATE_REASONS));

/** A fixed sentence for each kind of reason, naming only schema names. */
function safeReason(reason: string): string {
  if (!reason) return 'the value is not valid for its type.';
  let m: RegExpExecArray | null;
  if ((m = /^Field "(\w+)" of required type "([\w[\]!]+)" was not provided\./.exec(reason))) return `Field "${m[1]}" of required type "${m[2]}" was not provided.`;
  if ((m = /^Field "(\w+)" is not defined by type "(\w+)"\./.exec(reason))) return `Field "${m[1]}" is not defined by type "${m[2]}".`;
  if ((m = /^Expected type "([\w[\]!]+)"\.\s*([\s\S]*)$/.exec(reason))) return `Expected type "${m[1]}".${OWN_REASONS.has(m[2]!.trim()) ? ` ${m[2]!.trim()}` : ''}`;
  if ((m = /^Value [\s\S]* does not exist in "(\w+)" enum/.exec(reason))) return `Value does not exist in "${m[1]}" enum.`;
  if ((m = /^Enum "(\w+)" cannot represent/.exec(reason))) return `Enum "${m[1]}" cannot represent this value.`;
  if ((m = /^(\w+) cannot represent/.exec(reason))) return `${m[1]} cannot represent this value.`;
  if (OWN_REASONS.has(reason.trim())) return reason.trim();
  return 'the value is not valid for its type.';
}

/** A V8 stack frame: `at fn (file:line:col)` or `at file:line:col`. */
const FRAME = /^\s+at (?:async )?(?:[^()\s]+(?: \[as [^\]]+\])? \()?(?:file:|node:|\/)[^()\s]*:\d+:\d+\)?$/;

/** What production logs of an unexpected error: its class, SQLSTATE and stack frames, never its message. */
export function productionErrorLog(err: Error): { name: string; code?: string; frames: string[] } {
  let stack = err.stack ?? '';
  const head = `${err.name}: ${err.message}`;
  if (stack.startsWith(head)) stack = stack.slice(head.length);
  const frames = stack.split('\n').filter((line) => FRAME.test(line)).map((line) => line.trim());
  const raw = (err as { sqlState?: unknown }).sqlState ?? (err as { code?: unknown }).code;
  const code = typeof raw === 'string' && /^[A-Z0-9_]{1,40}$/.test(raw) ? raw : undefined;
  return { name: err.name, ...(code ? { code } : {}), frames };
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
    // Database messages can quote values; in production only the error's name, its SQLSTATE and
    // its frames are logged. A stack begins with the message, and a quoted value may span lines
    // (a note's text), so the frames are picked out, not the message cut off after its first line.
    const err = original instanceof Error ? original : new Error(String(original));
    logger.error(
      {
        err: production ? productionErrorLog(err) : { name: err.name, message: err.message, stack: err.stack },
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
