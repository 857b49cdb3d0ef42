/**
 * French grammar for names put into sentences: « de » and « à » elide before a vowel and contract with the
 * articles le and les (« du Ferrailleur », « aux Ateliers », « d’Octobre » never: months are lowercased first).
 * Messages ask for it with modifiers on a placeholder: `{de:member}`, `{à:member}`, `{low:month}`, chained from
 * right to left (`{de:low:month}` → « d’octobre 2026 »).
 */

const VOWEL = /^[aeiouyàâäéèêëîïôöùûüœæ]/i;

/** « de » before a name: du, des, de la, de l’, d’ or de. */
export function de(name: string): string {
  let m = /^(le|les|la) (.+)$/i.exec(name);
  if (m) {
    const article = m[1]!.toLowerCase();
    return `${article === 'le' ? 'du' : article === 'les' ? 'des' : 'de la'} ${m[2]}`;
  }
  m = /^l[’'](.+)$/i.exec(name);
  if (m) return `de l’${m[1]}`;
  return VOWEL.test(name) ? `d’${name}` : `de ${name}`;
}

/** « à » before a name: au, aux, à la, à l’ or à. */
export function a(name: string): string {
  let m = /^(le|les|la) (.+)$/i.exec(name);
  if (m) {
    const article = m[1]!.toLowerCase();
    return `${article === 'le' ? 'au' : article === 'les' ? 'aux' : 'à la'} ${m[2]}`;
  }
  m = /^l[’'](.+)$/i.exec(name);
  if (m) return `à l’${m[1]}`;
  return `à ${name}`;
}

/** First letter in lower case: a month inside a sentence (« clôturer novembre 2026 »). */
export const low = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
/** First letter in upper case: a placeholder starting a sentence. */
export const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const MODIFIERS: Record<string, (text: string) => string> = { de, à: a, low, cap };

/** Fills `{name}` and `{modifier:…:name}` placeholders; unknown names stay as they are. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{((?:[a-zà]+:)*)(\w+)\}/g, (whole, chain: string, name: string) => {
    if (!(name in vars)) return whole;
    let value = String(vars[name]);
    const modifiers = chain.split(':').filter(Boolean).reverse();
    for (const modifier of modifiers) {
      const apply = MODIFIERS[modifier];
      if (!apply) return whole;
      value = apply(value);
    }
    return value;
  });
}
