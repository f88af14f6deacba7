/** The matching score in isolation: parts, ties (least loaded, then id), determinism. */
import { describe, expect, it } from 'vitest';
import { compareScored, rankCandidates, scoreCandidate, vogValidFrom, type CandidateInput } from '../../src/modules/informal-care/matching.js';
import { DayPart, Weekday } from '../../src/modules/common/enums.js';

const request = { needs: ['shopping'], languages: ['Turkish'], availability: [{ day: Weekday.MONDAY, part: DayPart.EVENING }], postcode4: '3562' };
const volunteer = (o: Partial<CandidateInput>): CandidateInput => ({
  id: 'a', postcode: '3453AA', skills: [], languages: [], availability: [], maxMatches: 2, live: 0, helpsHousehold: false, ...o,
});

describe('scoreCandidate', () => {
  it('adds up the parts, each with its reason', () => {
    const s = scoreCandidate(request, volunteer({ skills: ['shopping'], languages: ['Turkish'], availability: request.availability, postcode: '3562ZZ', helpsHousehold: true }));
    expect(s.score).toBe(40 + 20 + 15 + 15 + 10 + 20);
    expect(s.reasons).toEqual(['helps for shopping', 'speaks Turkish', 'free Monday evenings', 'same postcode area', 'no current matches', 'already helps this household']);
    expect(s.distanceKm).toBe(0);
  });

  it('scores nothing for distance from 5 km and unknown areas give no distance', () => {
    expect(scoreCandidate(request, volunteer({})).reasons).toEqual(['no current matches']);
    expect(scoreCandidate(request, volunteer({ postcode: '9999ZZ' })).distanceKm).toBeNull();
  });

  it('breaks ties by the least loaded, then by id', () => {
    const a = { candidate: volunteer({ id: 'b', live: 1 }), score: 50, reasons: [], distanceKm: null };
    const b = { candidate: volunteer({ id: 'c', live: 0 }), score: 50, reasons: [], distanceKm: null };
    const c = { candidate: volunteer({ id: 'a', live: 0 }), score: 50, reasons: [], distanceKm: null };
    expect([a, b, c].sort(compareScored).map((x) => x.candidate.id)).toEqual(['a', 'c', 'b']);
    const list = [volunteer({ id: 'z' }), volunteer({ id: 'y' }), volunteer({ id: 'x', skills: ['shopping'] })];
    expect(rankCandidates(request, list, 3).map((x) => x.candidate.id)).toEqual(['x', 'y', 'z']);
    expect(rankCandidates(request, [...list].reverse(), 3)).toEqual(rankCandidates(request, list, 3));
  });

  it('a VOG is valid for three years', () => {
    expect(vogValidFrom(new Date('2026-11-23T10:00:00Z'))).toBe('2023-11-23');
  });
});
