import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../client/src/i18n/en';
import { fr, frErrors } from '../../client/src/i18n/fr';
import { a, de, fill } from '../../client/src/i18n/french';
import { COST_NATURES, RESOURCE_KINDS } from '../../db/schema/enums';

/**
 * The French wording, over every French string of the client: grammar the templates cannot get wrong whatever
 * name or month fills them, and words users should not meet.
 */

/** Patterns no French text may contain once filled. */
export const FORBIDDEN: [RegExp, string][] = [
  [/(?<!\p{L})[dD]e (Le|Les) /u, '« de Le/Les » instead of « du/des »'],
  [/(?<!\p{L})[àÀ] (Le|Les) /u, '« à Le/Les » instead of « au/aux »'],
  [/(?<!\p{L})[dD]e [AEIOUYÀÂÉÈÊÎÔŒaeiouyàâéèêîôœ]/u, '« de » before a vowel instead of « d’ »'],
  [/(?<!\p{L})que [AEIOUaeiou]/u, '« que » before a vowel instead of « qu’ »'],
  [/\b(Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre) \d{4}/, 'a capitalised month inside a sentence'],
  [/(?<!\p{L})(serveur|server|API|null|undefined|NaN)(?!\p{L})/u, 'jargon'],
];

/** Names and months that break naive templates. */
const SAMPLES: Record<string, string>[] = [
  { member: 'Le Ferrailleur', name: 'Le Ferrailleur', seller: 'Les Ateliers du Port', buyer: 'Le Ferrailleur', to: 'Le Ferrailleur', from: 'Association Alpha', month: 'Octobre 2026' },
  { member: 'Association Alpha', name: 'Écomusée', seller: 'Association Alpha', buyer: 'La Fabrique', to: 'Association Alpha', from: 'L’Atelier', month: 'Avril 2026' },
  { member: 'SCOP Bravo', name: 'Hôtel de ville', seller: 'L’Atelier', buyer: 'Ici Même', to: 'Les Ateliers', from: 'Le Ferrailleur', month: 'Août 2026' },
];
const NEUTRAL = { n: 3, total: '12,00 €', amount: '12,00 €', date: '18/11/2026', number: 'F-2026-0001', when: 'mer. 18 nov. 2026, 10:00 – 11:00', free: 1, capacity: 2, remaining: '5,00 €', resource: 'Salle de réunion' };

/** Placeholders naming a structure, a person or a month: never right after a bare « de » or « à ». */
const NAMED = '(member|name|seller|buyer|to|from|month)';

describe('French wording', () => {
  it('words every cost nature and resource kind the server knows, in both languages', () => {
    // A label built from a server value (`nature.${n}`) is not checked by the compiler: a new value showed its key.
    const keys = [...COST_NATURES.map((n) => `nature.${n}`), ...RESOURCE_KINDS.map((k) => `kind.${k}`)];
    for (const key of keys) {
      assert.ok(key in fr, `fr lacks ${key}`);
      assert.ok(key in en, `en lacks ${key}`);
    }
  });

  it('de and à elide and contract', () => {
    assert.equal(de('Le Ferrailleur'), 'du Ferrailleur');
    assert.equal(de('Les Ateliers'), 'des Ateliers');
    assert.equal(de('La Fabrique'), 'de la Fabrique');
    assert.equal(de('L’Atelier'), 'de l’Atelier');
    assert.equal(de('Association Alpha'), 'd’Association Alpha');
    assert.equal(de('Écomusée'), 'd’Écomusée');
    assert.equal(de('SCOP Bravo'), 'de SCOP Bravo');
    assert.equal(a('Le Ferrailleur'), 'au Ferrailleur');
    assert.equal(a('Les Ateliers'), 'aux Ateliers');
    assert.equal(a('La Fabrique'), 'à la Fabrique');
    assert.equal(a('L’Atelier'), 'à l’Atelier');
    assert.equal(a('Association Alpha'), 'à Association Alpha');
    assert.equal(fill('Relevé {de:low:month}', { month: 'Octobre 2026' }), 'Relevé d’octobre 2026');
    assert.equal(fill('Réservations {de:member}', { member: 'Le Ferrailleur' }), 'Réservations du Ferrailleur');
    assert.equal(fill('{x} et {y}', { x: 1 }), '1 et {y}');
  });

  it('no French template puts a bare « de » or « à » before a name or a month, or a month mid-sentence unlowered', () => {
    const problems: string[] = [];
    for (const [key, text] of Object.entries({ ...fr, ...frErrors })) {
      if (new RegExp(`\\b(de|à|du|au) \\{${NAMED}\\}`).test(text)) problems.push(`${key}: ${text}`);
      if (/[^.!?]\s\{month\}/.test(text) || /^\S.*\s\{month\}/.test(text)) problems.push(`${key}: month mid-sentence: ${text}`);
    }
    assert.deepEqual(problems, []);
  });

  it('every French string, filled with awkward names and months, has none of the forbidden patterns', () => {
    const problems: string[] = [];
    for (const sample of SAMPLES) {
      for (const [key, text] of Object.entries({ ...fr, ...frErrors })) {
        const filled = fill(text, { ...NEUTRAL, ...sample });
        for (const [pattern, why] of FORBIDDEN) {
          // A month alone (a heading, the month picker) starts with a capital: only running text is checked.
          if (why.startsWith('a capitalised month') && !/\{[a-z:]*month\}/.test(text)) continue;
          if (why.startsWith('a capitalised month') && /^\{month\}/.test(text)) continue;
          if (pattern.test(filled)) problems.push(`${key} (${why}): ${filled}`);
        }
      }
    }
    assert.deepEqual([...new Set(problems)], []);
  });

  it('English has exactly the French keys', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
  });
});
