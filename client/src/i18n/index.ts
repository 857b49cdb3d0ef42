import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { en, enErrors } from './en';
import { fr, frErrors, type MessageKey, type Messages } from './fr';
import { fill } from './french';

export type Lang = 'fr' | 'en';
export type { MessageKey };

const DICTIONARIES: Record<Lang, { messages: Messages; errors: Record<string, string>; locale: string }> = {
  fr: { messages: fr, errors: frErrors, locale: 'fr-FR' },
  en: { messages: en, errors: enErrors, locale: 'en-GB' },
};

const STORAGE_KEY = 'mutualise.lang';

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'fr' || stored === 'en') return stored;
  } catch {
    // storage disabled: French by default
  }
  return 'fr';
}

export function storeLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
}

export type Vars = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  locale: string;
  zone: string;
  currency: string;
  t(key: MessageKey, vars?: Vars): string;
  /** A user-facing sentence for an API error: by its stable code, else the server's message. */
  errorText(error: unknown): string;
  /** The text of a stable code in the errors table (e.g. `reason.capacity`), if any. */
  codeText(code: string): string | undefined;
  date(iso: string | number): string;
  dateShort(iso: string | number): string;
  dateTime(iso: string | number): string;
  time(iso: string | number): string;
  range(start: string | number, end: string | number): string;
  month(month: string): string;
  /** A calendar date "YYYY-MM-DD" (no instant, no zone), short form. */
  day(date: string): string;
  money(cents: number): string;
  number(n: number, digits?: number): string;
  hours(minutes: number): string;
  /** A length of time: « 30 min », « 1 h 30 », « 2 h ». */
  duration(minutes: number): string;
}

const toDate = (value: string | number) => new Date(value);

/** A length of time: « 30 min », « 1 h 30 », « 2 h ». */
function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** Texts, dates and amounts for one language, in the pole's time zone and currency. */
export function createI18n(lang: Lang, zone: string, currency: string): I18n {
  const { messages, errors, locale } = DICTIONARIES[lang];
  const dateF = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'long' });
  const dateShortF = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'short' });
  const dateTimeF = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const dayF = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const timeF = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: '2-digit', minute: '2-digit' });
  const monthF = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  const dayF2 = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'short' });
  const moneyF = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const numberFs = new Map<number, Intl.NumberFormat>();
  const numberF = (digits: number) => {
    let f = numberFs.get(digits);
    if (!f) numberFs.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
    return f;
  };

  const t = (key: MessageKey, vars?: Vars) => {
    const text = messages[key] ?? key;
    if (!vars) return text;
    return fill(text, vars);
  };

  const sameDay = (a: Date, b: Date) => dayF.format(a) === dayF.format(b);

  return {
    lang,
    locale,
    zone,
    currency,
    t,
    errorText(error) {
      if (error instanceof ApiError) {
        const text = errors[error.code];
        if (text === undefined) return error.message;
        // Placeholders take the error's details: `{remainingCents}` as an amount, `{leftMinutes}` as a duration, `{peak}` as a number.
        const details = (error.details ?? {}) as Record<string, unknown>;
        return text.replace(/\{(\w+)\}/g, (_whole, name: string) => {
          const value = details[name];
          if (typeof value === 'number' && name.endsWith('Minutes')) return durationText(value);
          if (typeof value === 'number') return name.endsWith('Cents') ? moneyF.format(value / 100) : numberF(2).format(value);
          return typeof value === 'string' ? value : '…';
        });
      }
      if (error instanceof Error) return error.message;
      return String(error);
    },
    codeText: (code) => errors[code],
    date: (v) => dateF.format(toDate(v)),
    dateShort: (v) => dateShortF.format(toDate(v)),
    dateTime: (v) => dateTimeF.format(toDate(v)),
    time: (v) => timeF.format(toDate(v)),
    range(start, end) {
      const s = toDate(start);
      const e = toDate(end);
      if (sameDay(s, e)) return `${dayF.format(s)}, ${timeF.format(s)} – ${timeF.format(e)}`;
      return `${dateTimeF.format(s)} – ${dateTimeF.format(e)}`;
    },
    month(month) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const text = monthF.format(new Date(Date.UTC(y, m - 1, 1)));
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
    day(date) {
      const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
      return dayF2.format(new Date(Date.UTC(y, m - 1, d)));
    },
    money: (cents) => moneyF.format(cents / 100),
    number: (n, digits = 2) => numberF(digits).format(n),
    hours: (minutes) => numberF(1).format(minutes / 60),
    duration: durationText,
  };
}

export const I18nContext = createContext<I18n>(createI18n('fr', 'Europe/Paris', 'EUR'));
export const useI18n = () => useContext(I18nContext);
