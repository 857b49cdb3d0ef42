import type { Sqlite } from '../../db/index';

/** A repository's statements, prepared once per connection (preparing costs more than running). */
export function preparedOnce<S>(prepare: (sqlite: Sqlite) => S): (sqlite: Sqlite) => S {
  const cache = new WeakMap<Sqlite, S>();
  return (sqlite) => {
    let s = cache.get(sqlite);
    if (!s) cache.set(sqlite, (s = prepare(sqlite)));
    return s;
  };
}
