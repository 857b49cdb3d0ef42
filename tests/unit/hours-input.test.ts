import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../helpers/seed';
import { minutesInput, parseMinutes } from '../../client/src/lib/hours';

describe('hours typed in a timesheet cell', () => {
  it('reads decimal hours, hours and minutes, and minutes', () => {
    const cases: [string, number | null][] = [
      ['', 0],
      ['  ', 0],
      ['3', 180],
      ['3,5', 210],
      ['3.5', 210],
      ['0,33', 20],
      ['7,25', 435],
      ['3:30', 210],
      ['3h30', 210],
      ['3 h 30', 210],
      ['3h', 180],
      ['3 H', 180],
      ['45 min', 45],
      ['45mn', 45],
      ['3:75', null],
      ['-2', null],
      ['abc', null],
      ['3,5,5', null],
      ['1e2', null],
    ];
    for (const [text, minutes] of cases) assert.equal(parseMinutes(text), minutes, text);
  });

  it('shows back what it reads', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1500 }), (minutes) => parseMinutes(minutesInput(minutes)) === minutes));
    assert.equal(minutesInput(210), '3:30');
    assert.equal(minutesInput(0), '');
  });
});
