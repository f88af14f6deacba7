import { GraphQLScalarType, Kind } from 'graphql';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDateString(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The Date scalar's reasons for refusing a value: fixed texts, never the value (errors-format.ts passes them on). */
export const DATE_REASONS = {
  notADate: 'Date must be a calendar date in the form YYYY-MM-DD',
  notAString: 'Date must be a string YYYY-MM-DD',
} as const;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isValidDateString(value)) {
    throw new TypeError(DATE_REASONS.notADate);
  }
  return value;
}

/** A calendar date without time zone, carried as the string YYYY-MM-DD end to end. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError(DATE_REASONS.notAString);
    return parseDate(ast.value);
  },
});
