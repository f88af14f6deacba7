/** graphql-js's input messages lose the value they quote (it may be a BSN or a birth date), not the path or the reason. */
import { describe, expect, it } from 'vitest';
import { withoutInputValues } from '../../src/errors-format.js';

describe('withoutInputValues', () => {
  it.each([
    [
      'Variable "$i" got invalid value "1961-13-45" at "i.birthDate"; Expected type "Date". Date must be a calendar date in the form YYYY-MM-DD',
      'Variable "$i" got an invalid value at "i.birthDate"; Expected type "Date". Date must be a calendar date in the form YYYY-MM-DD',
    ],
    [
      'Variable "$i" got invalid value 111222333 at "i.bsn"; String cannot represent a non string value: 111222333',
      'Variable "$i" got an invalid value at "i.bsn"; String cannot represent this value.',
    ],
    [
      'Variable "$i" got invalid value { givenName: "Jan" }; Field "residentId" of required type "ID!" was not provided.',
      'Variable "$i" got an invalid value; Field "residentId" of required type "ID!" was not provided.',
    ],
    [
      'Expected value of type "Date", found "1961-13-45"; Date must be a calendar date in the form YYYY-MM-DD',
      'Expected value of type "Date"; Date must be a calendar date in the form YYYY-MM-DD',
    ],
    [
      // A value with "; " in it does not end the value early.
      'Variable "$at" got invalid value "x; 111222333"; Expected type "DateTime". DateTime cannot represent an invalid date-time-string x; 111222333.',
      'Variable "$at" got an invalid value; Expected type "DateTime".',
    ],
    [
      'Expected value of type "Date", found "x; 111222333"; Date must be a calendar date in the form YYYY-MM-DD',
      'Expected value of type "Date"; Date must be a calendar date in the form YYYY-MM-DD',
    ],
    // graphql-scalars' reasons carry the value without a colon.
    [
      'Variable "$at" got invalid value "Jansen 111222333"; DateTime cannot represent an invalid date-time-string Jansen 111222333.',
      'Variable "$at" got an invalid value; DateTime cannot represent this value.',
    ],
    ['DateTime cannot represent an invalid date-time-string Jansen 111222333.', 'DateTime cannot represent this value.'],
    ['Expected value of type "ZrmDomain!", found JANSEN.', 'Expected value of type "ZrmDomain!".'],
    ['Value "Jansen" does not exist in "ZrmDomain" enum.', 'Value does not exist in "ZrmDomain" enum.'],
    ['Enum "ZrmDomain" cannot represent non-enum value: "Jansen".', 'Enum "ZrmDomain" cannot represent this value.'],
  ])('%s', (message, expected) => {
    expect(withoutInputValues(message)).toBe(expected);
  });

  it('leaves messages without values as they are', () => {
    for (const m of ['Cannot query field "x" on type "Case".', 'Variable "$i" of required type "X!" was not provided.']) {
      expect(withoutInputValues(m)).toBe(m);
    }
  });
});
