import type { Db, Sqlite, Store } from '../db/index';
import type { AppConfig } from './config';
import type { Clock } from './shared/clock';

/** What every service needs: the store, the clock and the config. Built once per app. */
export interface AppContext {
  store: Store;
  db: Db;
  sqlite: Sqlite;
  clock: Clock;
  config: AppConfig;
}
