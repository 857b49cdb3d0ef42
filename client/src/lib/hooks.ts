import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replaces the data locally (after a write whose answer is the new state). */
  set(data: T): void;
}

/** Loads data when `deps` change; keeps the last data while reloading so the page does not flicker. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (id === latest.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (id === latest.current) setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, set };
}

export interface Paged<T> {
  items: T[] | undefined;
  error: unknown;
  loading: boolean;
  /** Loads the next page, when `hasMore`. */
  more(): void;
  hasMore: boolean;
  reload(): void;
}

/** Pages through a list the API cuts with a cursor (`nextBeforeId`): the first page when `deps` change, the next ones appended. */
export function usePages<T>(load: (beforeId: number | undefined) => Promise<{ items: T[]; nextBeforeId: number | null }>, deps: unknown[]): Paged<T> {
  const [state, setState] = useState<{ items: T[] | undefined; next: number | null; error: unknown; loading: boolean }>({ items: undefined, next: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const fetchPage = (beforeId: number | undefined, append: boolean) => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load(beforeId).then(
      (page) => {
        if (id === latest.current) setState((s) => ({ items: append ? [...(s.items ?? []), ...page.items] : page.items, next: page.nextBeforeId, error: null, loading: false }));
      },
      (error: unknown) => {
        if (id === latest.current) setState((s) => ({ ...s, error, loading: false }));
      },
    );
  };
  useEffect(() => fetchPage(undefined, false), [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return {
    items: state.items,
    error: state.error,
    loading: state.loading,
    hasMore: state.next !== null,
    more: () => {
      if (state.next !== null && !state.loading) fetchPage(state.next, true);
    },
    reload,
  };
}
