import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createI18n } from '../../client/src/i18n/index';
import { warningText } from '../../client/src/lib/warnings';

/** Shared-staff close warnings read in French (and English), not as the server's English fallback. */
describe('close warnings on shared staff, in the user’s language', () => {
  const fr = createI18n('fr', 'Europe/Paris', 'EUR');
  const en = createI18n('en', 'Europe/Paris', 'EUR');
  const base = { resource: 'Chargée de communication', employee: 'Awa', memberId: 3, member: 'Le Ferrailleur', minutes: 510, month: '2026-11' };
  const w = (code: string, params: Record<string, string | number>) => ({ code, message: 'SERVER FALLBACK', params });

  it('says which hours are not billed and why', () => {
    assert.equal(
      warningText(fr, w('staff.timesheet_unapproved', { ...base, disputed: 0, entered: 1 })),
      'Chargée de communication : 8,5 h mises à disposition du Ferrailleur en novembre 2026 ne sont pas validées ; elles ne sont pas facturées.',
    );
    assert.match(warningText(fr, w('staff.timesheet_unapproved', { ...base, disputed: 1, entered: 1 })), /sont contestées/);
    assert.match(warningText(fr, w('staff.timesheet_unapproved', { ...base, disputed: 0, entered: 0 })), /réservées pour Le Ferrailleur en novembre 2026 n’ont pas de feuille de temps/);
    assert.match(warningText(fr, w('staff.outside_agreement', { ...base, dates: '2026-11-28, 2026-11-29' })), /hors de ses conventions \(2026-11-28, 2026-11-29\)/);
    assert.match(warningText(fr, w('staff.resource_unlinked', { resource: 'Technicien son' })), /^Technicien son : aucun salarié n’y est rattaché/);
    assert.match(warningText(en, w('staff.timesheet_unapproved', { ...base, disputed: 0, entered: 1 })), /8\.5 h made available to Le Ferrailleur in November 2026 are not approved/);
  });

  it('falls back to the server’s message when the params are not usable', () => {
    assert.equal(warningText(fr, w('staff.timesheet_unapproved', { resource: 'X' })), 'SERVER FALLBACK');
  });
});
