import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_SIRETS, type SeededPole, type TestApp } from '../helpers/app';

/** Issue #10: a member's VAT status, 261 B eligibility, company mentions, IBAN and VAT number, checked before anything is written. */
const scop = {
  name: 'Atelier Coopératif',
  legalForm: 'scop',
  siret: TEST_SIRETS[3], // SIREN 542051180 → FR59542051180
  address: '17 rue de Strasbourg, 44000 Nantes',
  billingEmail: 'compta@atelier.test',
  vatStatus: 'assujetti',
  vatNumber: 'FR 59 542 051 180',
  shareCapitalCents: 1_520_000,
  rcsCity: 'Nantes',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'agrifrpp',
  vatOnDebits: true,
  billingMandateSince: '2026-01-01',
};

describe('members: VAT statuses and legal details', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(() => t.close());

  const post = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/members', headers: { cookie: coord }, payload });

  it('stores a SCOP with its status, capital, RCS city, normalised VAT number, IBAN and BIC, and splits its address', async () => {
    const res = await post(scop);
    assert.equal(res.statusCode, 201, res.body);
    const m = res.json();
    assert.deepEqual(
      [m.vatStatus, m.eligible261B, m.vatNumber, m.iban, m.bic, m.shareCapitalCents, m.rcsCity, m.vatOnDebits, m.billingMandateSince],
      ['assujetti', false, 'FR59542051180', 'FR7630006000011234567890189', 'AGRIFRPP', 1_520_000, 'Nantes', true, '2026-01-01'],
    );
    assert.deepEqual([m.address, m.postalCode, m.city, m.countryCode], ['17 rue de Strasbourg', '44000', 'Nantes', 'FR']);
    assert.equal(m.publicBody, false);
  });

  it('refuses a wrong VAT key, another company’s number, a wrong IBAN, a missing capital or RCS, writing nothing', async () => {
    const before = dbFingerprint(t.store);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...scop, vatNumber: 'FR58542051180' }, 422, 'member.vat_number_mismatch'],
      [{ ...scop, vatNumber: 'FR03552081317' }, 422, 'member.vat_number_mismatch'],
      [{ ...scop, iban: 'FR7630006000011234567890188' }, 422, 'member.invalid_iban'],
      [{ ...scop, iban: 'FR76300060000112345678901' }, 422, 'member.invalid_iban'],
      [{ ...scop, bic: 'AGRI' }, 422, 'member.invalid_bic'],
      [{ ...scop, shareCapitalCents: undefined }, 422, 'member.share_capital_required'],
      [{ ...scop, rcsCity: undefined }, 422, 'member.rcs_city_required'],
      [{ ...scop, vatStatus: undefined }, 422, 'member.vat_status_required'],
      [{ ...scop, vatStatus: 'exonere_261B' }, 400, 'validation.failed'],
      [{ ...scop, postalCode: '4400', city: 'Nantes' }, 422, 'member.invalid_postal_code'],
      [{ ...scop, billingMandateSince: '2026-02-30' }, 422, 'member.invalid_date'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(payload);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 120)} → ${res.body.slice(0, 200)}`);
      assert.equal(res.json().error.code, code);
    }
    assert.equal(dbFingerprint(t.store), before);
  });

  it('checks the VAT number again when the SIREN changes, and a patch that fails writes nothing', async () => {
    const before = dbFingerprint(t.store);
    // B's VAT number belongs to its SIREN: moving B to another SIRET leaves it mismatched.
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: coord }, payload: { siret: TEST_SIRETS[4] } });
    assert.equal(moved.statusCode, 422, moved.body);
    assert.equal(moved.json().error.code, 'member.vat_number_mismatch');
    const iban = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: coord }, payload: { iban: 'GB82WEST12345698765431' } });
    assert.equal(iban.json().error.code, 'member.invalid_iban');
    const capital = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: coord }, payload: { shareCapitalCents: null } });
    assert.equal(capital.json().error.code, 'member.share_capital_required');
    assert.equal(dbFingerprint(t.store), before);
  });

  it('accepts the old single regime on input and maps it (exonere_261B → not liable, eligible)', async () => {
    const res = await post({ name: 'Radio', legalForm: 'association', siret: TEST_SIRETS[4], address: '8 rue Kervégan', billingEmail: 'r@r.test', vatRegime: 'exonere_261B' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([res.json().vatStatus, res.json().eligible261B], ['non_assujetti', true]);
  });

  it('lets a member admin change its IBAN and address, not its VAT status or mandate', async () => {
    const admin = await login(t.app, pole.adminB);
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: admin }, payload: { iban: 'FR7630006000011234567890189', postalCode: '44200' } });
    assert.equal(ok.statusCode, 200, ok.body);
    for (const payload of [{ vatStatus: 'franchise_293B' }, { eligible261B: true }, { billingMandateSince: '2026-01-01' }]) {
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: admin }, payload })).statusCode, 403);
    }
  });
});
