/**
 * Creates the first coordinator (on a database with the demo pole, the demo accounts are disabled):
 *   npm run setup -- --email you@pole.fr --name "Your Name" [--password …] [--pole "Pôle …"]
 * Without --password a strong one is generated and printed once.
 */
import { disableDemoAccounts } from '../db/demo';
import { openStore } from '../db/index';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../server/auth/passwords';
import { randomToken } from '../server/auth/tokens';
import { configFromEnv } from '../server/config';
import { ensurePole, updatePole } from '../server/pole/repository';
import { findUserByEmail, insertUser } from '../server/users/repository';
import { fail, parseArgs } from './args';

const args = parseArgs(process.argv.slice(2));
const email = typeof args.email === 'string' ? args.email.trim().toLowerCase() : fail('Usage: npm run setup -- --email you@pole.fr --name "Your Name" [--password …]');
const name = typeof args.name === 'string' ? args.name.trim() : fail('--name is required');
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail(`Not an e-mail address: ${email}`);
const given = typeof args.password === 'string' ? args.password : null;
if (given !== null && given.length < MIN_PASSWORD_LENGTH) fail(`The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
const password = given ?? randomToken(12);

const config = configFromEnv();
const store = openStore(config.dbPath);
try {
  ensurePole(store);
  if (typeof args.pole === 'string') updatePole(store.db, { name: args.pole });
  if (findUserByEmail(store.db, email)) fail(`A user with e-mail ${email} already exists`);
  const user = insertUser(store.db, {
    email,
    name,
    role: 'coordinator',
    memberId: null,
    passwordHash: await hashPassword(password),
    active: true,
    createdAt: Date.now(),
  });
  console.log(`Coordinator #${user.id} ${email} created in ${config.dbPath}.`);
  const disabled = disableDemoAccounts(store);
  if (disabled) console.log(`${disabled} demo account(s) disabled (their password is public): their sessions and calendar feeds ended.`);
  if (given === null) console.log(`Password (shown once, change it after logging in): ${password}`);
} finally {
  store.close();
}
