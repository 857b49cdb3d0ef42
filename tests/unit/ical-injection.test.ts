import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import ICAL from 'ical.js';
import '../helpers/seed';
import { renderCalendar } from '../../server/feeds/ical';
import type { PlannedEvent } from '../../server/feeds/rules';

/** A name, summary or note carrying line breaks must not add properties or events to a feed. */
const event = (summary: string, description: string): PlannedEvent => ({
  uid: 'booking-1@pole.test',
  startMs: Date.parse('2026-11-20T09:00:00Z'),
  endMs: Date.parse('2026-11-20T10:00:00Z'),
  status: 'CONFIRMED',
  sequence: 0,
  summary,
  description,
  createdMs: 0,
  lastModifiedMs: 0,
});

const INJECTION = 'x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:INJECTED\r\nDTSTART:20261120T090000Z';

function parse(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  return { root, events: root.getAllSubcomponents('vevent') };
}

describe('iCal text properties', () => {
  it('a line break in the calendar name (NAME, X-WR-CALNAME), a summary or a note injects nothing', () => {
    const text = renderCalendar({ name: `Pôle — Réservations de ${INJECTION}`, zone: 'Europe/Paris', events: [event(`Salle — ${INJECTION}`, `Structure : A\nNote : ${INJECTION}`)] });
    const { root, events } = parse(text);
    assert.equal(events.length, 1, 'one event, as planned');
    assert.equal(events[0]!.getFirstPropertyValue('uid'), 'booking-1@pole.test');
    assert.doesNotMatch(text, /^(SUMMARY:INJECTED|UID:evil|BEGIN:VEVENT\r\nUID:evil)/m);
    assert.equal(text.split('\r\n').filter((l) => l === 'BEGIN:VEVENT').length, 1);
    assert.ok(!String(root.getFirstPropertyValue('name')).includes('\n'));
    assert.ok(!String(root.getFirstPropertyValue('x-wr-calname')).includes('\n'));
    assert.match(String(events[0]!.getFirstPropertyValue('description')), /^Structure : A\nNote : x/, 'the description keeps its own lines (escaped as \\n in the file)');
  });

  it('any text in any property leaves exactly the planned events (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), (name, summary, note) => {
        const text = renderCalendar({ name, zone: 'Europe/Paris', events: [event(summary, note)] });
        const lines = text.split('\r\n');
        assert.equal(lines.filter((l) => l === 'BEGIN:VEVENT').length, 1);
        assert.equal(lines.filter((l) => l === 'END:VCALENDAR').length, 1);
        assert.equal(parse(text).events.length, 1);
      }),
      { numRuns: 300 },
    );
  });
});
