import { DateTime } from 'luxon';
import { hashPassword } from '../server/auth/passwords';
import { closingDemo } from '../server/closing/demo';
import { ensurePole } from '../server/pole/repository';
import { systemClock, type Clock } from '../server/shared/clock';
import type { Store } from './index';
import { bookings, members, pole, resources, users } from './schema/index';
import { eq, sql } from 'drizzle-orm';

export const DEMO_PASSWORD = 'demo-mutualise';
export const DEMO_COORDINATOR = 'coordination@demo.test';
/** Every demo login's e-mail ends with this domain (demo.test or a subdomain of it). */
const DEMO_EMAIL = /[@.]demo\.test$/;

/**
 * Disables the demo accounts (their password is published in the README) and ends their sessions and
 * calendar feeds: done by `npm run setup` when a real coordinator takes the pole over. Returns how many.
 */
export function disableDemoAccounts(store: Store, now = Date.now()): number {
  const ids = (store.sqlite.prepare('SELECT id, email FROM users WHERE active = 1').all() as { id: number; email: string }[])
    .filter((u) => DEMO_EMAIL.test(u.email))
    .map((u) => u.id);
  store.sqlite.transaction(() => {
    for (const id of ids) {
      store.sqlite.prepare('UPDATE users SET active = 0 WHERE id = ?').run(id);
      store.sqlite.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      store.sqlite.prepare('UPDATE feeds SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, id);
    }
  })();
  return ids.length;
}

type MemberInsert = typeof members.$inferInsert;

interface DemoMember {
  key: string;
  name: string;
  legalForm: MemberInsert['legalForm'];
  siret: string;
  /** Street line; postal code and city apart. */
  address: string;
  postalCode: string;
  city: string;
  vatStatus: MemberInsert['vatStatus'];
  eligible261B?: boolean;
  vatOnDebits?: boolean;
  /** FR + key computed from the SIREN + SIREN (checked by the members API). */
  vatNumber?: string;
  publicBody?: boolean;
  chorusServiceCode?: string;
  chorusEngagement?: string;
  shareCapitalCents?: number;
  rcsCity?: string;
  /** Valid ISO 13616 check digits (fictitious accounts). */
  iban: string;
  bic: string;
  deliveryAddress?: string;
  weight: number;
  prefix: string;
}

/**
 * Real-looking SIRETs (valid Luhn keys), VAT numbers and IBANs (valid keys), fictitious structures. The pole's
 * association is its groupement de moyens (CGI 261 B); radio, music school and training institute are
 * eligible associations; the SCOP charges VAT (with the debit option); the photographer is a micro-entrepreneur
 * under the franchise; the commune is a public body reached through Chorus Pro. Every member has mandated the
 * pole to issue its invoices (billing mandate of 1 January 2024).
 */
const MEMBERS: DemoMember[] = [
  { key: 'pole', name: 'Association Pôle Culture Rives de Loire', legalForm: 'association', siret: '81234567600017', address: '12 quai de la Fosse', postalCode: '44000', city: 'Nantes', vatStatus: 'assujetti', vatNumber: 'FR19812345676', iban: 'FR0513807000010003140111717', bic: 'CCBPFRPPNAN', weight: 2, prefix: 'POLE' },
  { key: 'smac', name: 'Le Ferrailleur — Scène de musiques actuelles', legalForm: 'association', siret: '42345678900019', address: '21 quai des Antilles', postalCode: '44200', city: 'Nantes', vatStatus: 'assujetti', vatNumber: 'FR82423456789', iban: 'FR1713807000020003140223424', bic: 'CCBPFRPPNAN', weight: 5, prefix: 'SMAC' },
  { key: 'theatre', name: 'Compagnie du Théâtre Éphémère', legalForm: 'association', siret: '51234567900017', address: '3 rue Racine', postalCode: '44000', city: 'Nantes', vatStatus: 'franchise_293B', iban: 'FR2913807000030003140335131', bic: 'CCBPFRPPNAN', weight: 2, prefix: 'THEA' },
  { key: 'radio', name: 'Radio Prun’ — radio associative', legalForm: 'association', siret: '39876543800013', address: '8 rue Kervégan', postalCode: '44000', city: 'Nantes', vatStatus: 'non_assujetti', eligible261B: true, iban: 'FR4113807000040003140446838', bic: 'CCBPFRPPNAN', weight: 1, prefix: 'RADIO' },
  { key: 'school', name: 'École de musique Cœur de Loire', legalForm: 'association', siret: '44455566800011', address: '45 boulevard Guist’hau', postalCode: '44000', city: 'Nantes', vatStatus: 'non_assujetti', eligible261B: true, iban: 'FR5313807000050003140558545', bic: 'CCBPFRPPNAN', weight: 3, prefix: 'ECOLE' },
  { key: 'scop', name: 'Atelier Graphique Coopératif SCOP', legalForm: 'scop', siret: '80012345700015', address: '17 rue de Strasbourg', postalCode: '44000', city: 'Nantes', vatStatus: 'assujetti', vatOnDebits: true, vatNumber: 'FR41800123457', shareCapitalCents: 1_520_000, rcsCity: 'Nantes', iban: 'FR6513807000060003140670252', bic: 'CCBPFRPPNAN', weight: 2, prefix: 'AGC' },
  { key: 'city', name: 'Commune de Saint-Herblain — Service culturel', legalForm: 'local_authority', siret: '21440162200011', address: '2 rue de l’Hôtel de Ville', postalCode: '44800', city: 'Saint-Herblain', vatStatus: 'non_assujetti', publicBody: true, chorusServiceCode: 'CULTURE', chorusEngagement: 'EJ-2026-0042', deliveryAddress: 'Maison des Arts, 26 rue de Saint-Nazaire, 44800 Saint-Herblain', iban: 'FR7713807000070003140781959', bic: 'TRPUFRP1', weight: 4, prefix: 'COMM' },
  { key: 'training', name: 'Institut des Métiers du Spectacle (formation)', legalForm: 'training_body', siret: '75312345400013', address: '30 rue de la Tour d’Auvergne', postalCode: '44200', city: 'Nantes', vatStatus: 'non_assujetti', eligible261B: true, iban: 'FR8913807000080003140893666', bic: 'CCBPFRPPNAN', weight: 1, prefix: 'IMS' },
  { key: 'photo', name: 'Julie Marchand — photographe (micro-entreprise)', legalForm: 'other', siret: '88412345600003', address: '5 rue Paul Bellamy', postalCode: '44000', city: 'Nantes', vatStatus: 'franchise_293B', iban: 'FR0913807000090003140905373', bic: 'CCBPFRPPNAN', weight: 1, prefix: 'PHOTO' },
];

export const DEMO_MANDATE_SINCE = '2024-01-01';

const USERS: { email: string; name: string; role: 'coordinator' | 'member_admin' | 'member'; member?: string }[] = [
  { email: DEMO_COORDINATOR, name: 'Camille Durand', role: 'coordinator' },
  { email: 'admin@smac.demo.test', name: 'Yanis Moreau', role: 'member_admin', member: 'smac' },
  { email: 'regie@smac.demo.test', name: 'Léa Martin', role: 'member', member: 'smac' },
  { email: 'admin@theatre.demo.test', name: 'Élodie Bernard', role: 'member_admin', member: 'theatre' },
  { email: 'production@theatre.demo.test', name: 'Hugo Petit', role: 'member', member: 'theatre' },
  { email: 'admin@radio.demo.test', name: 'Inès Lefèvre', role: 'member_admin', member: 'radio' },
  { email: 'antenne@radio.demo.test', name: 'Noé Garnier', role: 'member', member: 'radio' },
  { email: 'admin@ecole.demo.test', name: 'Chloé Roux', role: 'member_admin', member: 'school' },
  { email: 'admin@agc.demo.test', name: 'Mathis Fournier', role: 'member_admin', member: 'scop' },
  { email: 'culture@saint-herblain.demo.test', name: 'Sophie Girard', role: 'member', member: 'city' },
  { email: 'admin@ims.demo.test', name: 'Karim Benali', role: 'member_admin', member: 'training' },
  { email: 'julie@photo.demo.test', name: 'Julie Marchand', role: 'member_admin', member: 'photo' },
];

const weekdays9to18 = Object.fromEntries([1, 2, 3, 4, 5].map((d) => [String(d), [['09:00', '18:00']]]));
const everyDay8to23 = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), [['08:00', '23:00']]]));

interface DemoResource {
  key: string;
  name: string;
  kind: (typeof resources.$inferInsert)['kind'];
  category: string;
  capacity: number;
  bearer: string;
  openingHours: Record<string, string[][]> | null;
  requiresApproval?: boolean;
  granularityMinutes?: number;
  maxMinutes?: number;
}

const RESOURCES: DemoResource[] = [
  { key: 'accounting', name: 'Comptabilité mutualisée', kind: 'service', category: 'Fonctions support', capacity: 1, bearer: 'pole', openingHours: weekdays9to18, granularityMinutes: 30 },
  { key: 'comms', name: 'Chargée de communication partagée', kind: 'staff', category: 'Emploi partagé', capacity: 1, bearer: 'pole', openingHours: weekdays9to18, granularityMinutes: 30 },
  { key: 'sound', name: 'Technicien son partagé', kind: 'staff', category: 'Emploi partagé', capacity: 1, bearer: 'smac', openingHours: everyDay8to23, requiresApproval: true, granularityMinutes: 60 },
  { key: 'van', name: 'Camion 20 m³', kind: 'equipment', category: 'Véhicules', capacity: 1, bearer: 'pole', openingHours: null, granularityMinutes: 60, maxMinutes: 3 * 24 * 60 },
  { key: 'pa', name: 'Système de sonorisation', kind: 'equipment', category: 'Matériel scénique', capacity: 2, bearer: 'smac', openingHours: null, granularityMinutes: 60 },
  { key: 'laptops', name: 'Ordinateurs portables de montage', kind: 'equipment', category: 'Informatique', capacity: 3, bearer: 'scop', openingHours: weekdays9to18 },
  { key: 'rehearsal', name: 'Salle de répétition', kind: 'room', category: 'Salles', capacity: 1, bearer: 'school', openingHours: everyDay8to23, granularityMinutes: 30 },
  { key: 'meeting', name: 'Salle de réunion', kind: 'room', category: 'Salles', capacity: 1, bearer: 'city', openingHours: weekdays9to18 },
  { key: 'studio', name: 'Matériel photo et éclairages de studio', kind: 'equipment', category: 'Matériel scénique', capacity: 1, bearer: 'photo', openingHours: weekdays9to18, granularityMinutes: 60 },
];

export interface DemoResult {
  seeded: boolean;
  password: string;
  logins: { email: string; role: string; member: string | null }[];
}

/** Extra demo steps other capabilities register (costs, a closed month): run after the bookable pole exists. */
export type DemoExtension = (store: Store, ids: DemoIds, clock: Clock, log: (line: string) => void) => void | Promise<void>;
export interface DemoIds {
  members: Record<string, number>;
  users: Record<string, number>;
  resources: Record<string, number>;
}
const extensions: DemoExtension[] = [];
export function registerDemoExtension(extension: DemoExtension) {
  extensions.push(extension);
}
registerDemoExtension(closingDemo);

function demoLogins(store: Store): DemoResult['logins'] {
  const rows = store.sqlite
    .prepare(
      `SELECT u.email, u.role, m.name AS member FROM users u LEFT JOIN members m ON m.id = u.member_id
        WHERE u.email LIKE '%demo.test' AND u.active = 1 ORDER BY u.id`,
    )
    .all() as { email: string; role: string; member: string | null }[];
  return rows;
}

/**
 * Seeds a realistic French pole into an empty database: members, users, resources and three months of
 * bookings around today. Never touches a database that already has members.
 */
export async function seedDemo(store: Store, options: { clock?: Clock; log?: (line: string) => void } = {}): Promise<DemoResult> {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? systemClock;
  const { db } = store;
  const existing = db.select({ n: sql<number>`count(*)` }).from(members).get()!.n;
  if (existing > 0) return { seeded: false, password: DEMO_PASSWORD, logins: demoLogins(store) };

  log('Seeding the demo pole…');
  const now = clock.now();
  const zone = 'Europe/Paris';
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids: DemoIds = { members: {}, users: {}, resources: {} };

  ensurePole(store); // the pole row must exist before the demo names it (buildApp creates it only later)
  store.sqlite.transaction(() => {
    for (const m of MEMBERS) {
      const row = db
        .insert(members)
        .values({
          name: m.name,
          legalForm: m.legalForm,
          siren: m.siret.slice(0, 9),
          siret: m.siret,
          address: m.address,
          postalCode: m.postalCode,
          city: m.city,
          deliveryAddress: m.deliveryAddress ?? null,
          billingEmail: `compta@${m.key}.demo.test`,
          vatStatus: m.vatStatus,
          eligible261B: m.eligible261B ?? false,
          eligible261BSince: m.eligible261B ? '2024-01-01' : null,
          vatOnDebits: m.vatOnDebits ?? false,
          vatNumber: m.vatNumber ?? null,
          publicBody: m.publicBody ?? false,
          chorusServiceCode: m.chorusServiceCode ?? null,
          chorusEngagement: m.chorusEngagement ?? null,
          shareCapitalCents: m.shareCapitalCents ?? null,
          rcsCity: m.rcsCity ?? null,
          iban: m.iban,
          bic: m.bic,
          billingMandateSince: DEMO_MANDATE_SINCE,
          weight: m.weight,
          invoicePrefix: m.prefix,
          joinedOn: '2024-01-01',
          createdAt: now,
        })
        .returning({ id: members.id })
        .get();
      ids.members[m.key] = row.id;
    }
    db.update(pole)
      .set({ name: 'Pôle Culture Rives de Loire (démo)', carrierMemberId: ids.members.pole!, groupingMemberId: ids.members.pole!, timeZone: zone })
      .where(eq(pole.id, 1))
      .run();
    for (const u of USERS) {
      const row = db
        .insert(users)
        .values({ email: u.email, name: u.name, role: u.role, memberId: u.member ? ids.members[u.member]! : null, passwordHash, createdAt: now })
        .returning({ id: users.id })
        .get();
      ids.users[u.email] = row.id;
    }
    for (const r of RESOURCES) {
      const row = db
        .insert(resources)
        .values({
          name: r.name,
          kind: r.kind,
          category: r.category,
          capacity: r.capacity,
          bearerMemberId: ids.members[r.bearer]!,
          granularityMinutes: r.granularityMinutes ?? 15,
          maxMinutes: r.maxMinutes ?? null,
          openingHours: r.openingHours,
          requiresApproval: r.requiresApproval ?? false,
          createdAt: now,
        })
        .returning({ id: resources.id })
        .get();
      ids.resources[r.key] = row.id;
    }
    seedBookings(store, ids, now, zone);
  })();

  for (const extension of extensions) await extension(store, ids, clock, log);
  log(`Demo pole ready: ${MEMBERS.length} members, ${USERS.length} users, ${RESOURCES.length} resources.`);
  return { seeded: true, password: DEMO_PASSWORD, logins: demoLogins(store) };
}

/** Who books what: [resource, member, user, weekday (1-7), start hour, hours]. Fixed slots never overlap. */
const WEEKLY_PATTERN: [string, string, string, number, number, number][] = [
  ['accounting', 'smac', 'regie@smac.demo.test', 1, 9, 3],
  ['accounting', 'theatre', 'production@theatre.demo.test', 1, 14, 2],
  ['accounting', 'radio', 'antenne@radio.demo.test', 2, 10, 2],
  ['accounting', 'school', 'admin@ecole.demo.test', 3, 9, 4],
  ['accounting', 'training', 'admin@ims.demo.test', 4, 14, 2],
  ['comms', 'smac', 'regie@smac.demo.test', 2, 9, 4],
  ['comms', 'theatre', 'admin@theatre.demo.test', 3, 14, 3],
  ['comms', 'city', 'culture@saint-herblain.demo.test', 4, 9, 3],
  ['comms', 'scop', 'admin@agc.demo.test', 5, 10, 2],
  ['sound', 'theatre', 'production@theatre.demo.test', 5, 18, 5],
  ['sound', 'radio', 'antenne@radio.demo.test', 6, 14, 4],
  ['rehearsal', 'school', 'admin@ecole.demo.test', 3, 14, 4],
  ['rehearsal', 'theatre', 'production@theatre.demo.test', 2, 18, 3],
  ['rehearsal', 'smac', 'regie@smac.demo.test', 6, 10, 6],
  ['meeting', 'city', 'culture@saint-herblain.demo.test', 1, 10, 2],
  ['meeting', 'training', 'admin@ims.demo.test', 5, 14, 3],
  ['laptops', 'scop', 'admin@agc.demo.test', 2, 9, 8],
  ['laptops', 'training', 'admin@ims.demo.test', 2, 9, 8],
  ['laptops', 'radio', 'antenne@radio.demo.test', 4, 13, 4],
  ['pa', 'theatre', 'production@theatre.demo.test', 5, 12, 12],
  ['pa', 'city', 'culture@saint-herblain.demo.test', 6, 8, 14],
  ['studio', 'smac', 'regie@smac.demo.test', 4, 10, 3],
  ['studio', 'school', 'admin@ecole.demo.test', 5, 9, 3],
  ['studio', 'photo', 'julie@photo.demo.test', 1, 9, 6],
];

function seedBookings(store: Store, ids: DemoIds, now: number, zone: string) {
  const first = DateTime.fromMillis(now, { zone }).startOf('month').minus({ months: 2 });
  const last = DateTime.fromMillis(now, { zone }).startOf('month').plus({ months: 2 });
  for (let day = first; day < last; day = day.plus({ days: 1 })) {
    for (const [resource, member, user, weekday, hour, hours] of WEEKLY_PATTERN) {
      if (day.weekday !== weekday) continue;
      const start = day.set({ hour });
      const end = start.plus({ hours });
      store.db
        .insert(bookings)
        .values({
          resourceId: ids.resources[resource]!,
          memberId: ids.members[member]!,
          userId: ids.users[user]!,
          startMs: start.toMillis(),
          endMs: end.toMillis(),
          quantity: 1,
          note: null,
          status: 'confirmed',
          createdAt: now,
          updatedAt: now,
        })
        .run();
    }
    if (day.weekday === 6 && day.day <= 7) {
      // The van, first Saturday of each month, for a weekend tour.
      const start = day.set({ hour: 8 });
      store.db
        .insert(bookings)
        .values({
          resourceId: ids.resources.van!,
          memberId: ids.members.theatre!,
          userId: ids.users['production@theatre.demo.test']!,
          startMs: start.toMillis(),
          endMs: start.plus({ days: 2 }).toMillis(),
          quantity: 1,
          note: 'Tournée en Vendée',
          status: 'confirmed',
          createdAt: now,
          updatedAt: now,
        })
        .run();
    }
  }
  store.sqlite.exec(
    `UPDATE resources SET longest_booking_ms = coalesce((SELECT max(end_ms - start_ms) FROM bookings b WHERE b.resource_id = resources.id), 0)`,
  );
}
