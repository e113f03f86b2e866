// A list as every page of the console shows it: the first page of a query, `Load more` for the
// next, and changes to its items (a delete behind a confirmation, an update) that keep it in step
// with the server. One hook and one component, so that paging, the busy flag, the error and the
// notice behave the same on every page.
import type { ComponentChildren } from 'preact';
import type { Page, Paginator } from '@cloud-api/sdk';
import { useState } from 'preact/hooks';
import { ErrorText, useAction, useLatest } from './ui';

type Done<R> = string | ((answer: R) => string);

export interface PagedList<T> {
  items: T[];
  hasMore: boolean;
  busy: boolean;
  error: unknown;
  /** What the last change did, in words (announced by `PagedItems`' status line). */
  notice: string;
  // Each answers whether it succeeded (its error is shown with the list's otherwise).
  /** The first page of the query again (a new filter, a refresh). */
  load(): Promise<boolean>;
  /** The next page, appended. */
  more(): Promise<boolean>;
  /**
   * A change to the list's items, then the first page again, so the list shows what the server
   * holds; `done` says what happened, in words (or makes the words from the change's answer).
   */
  act<R>(work: () => Promise<R>, done?: Done<R>): Promise<boolean>;
  /** A deletion: the item leaves the list without a reload, so the pages already loaded stay. */
  remove(item: T, work: () => Promise<unknown>, done?: Done<unknown>): Promise<boolean>;
  /** Work that leaves the list as it is, with its error shown with the list's. */
  run(work: () => Promise<unknown>): Promise<boolean>;
}

/**
 * `query` is read on every load, so it sees the filters of the render that calls `load`. Loads
 * can overlap (a filter changed while a page is coming): only the latest may set the items.
 */
export function usePagedList<T>(query: () => Paginator<T>, keyOf: (item: T) => string): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [page, setPage] = useState<Page<T>>();
  const [notice, setNotice] = useState('');
  const action = useAction();
  const begin = useLatest();

  const first = async () => {
    const current = begin();
    const answer = await query().page();
    if (!current()) return;
    setPage(answer);
    setItems(answer.data);
  };
  /** `work`, then `after` (a reload, or the item dropped), then the notice saying what was done. */
  const change = <R,>(work: () => Promise<R>, after: () => unknown, done: Done<R> = '') =>
    action.run(async () => {
      setNotice('');
      const answer = await work();
      await after();
      setNotice(typeof done === 'string' ? done : done(answer));
    });

  return {
    items,
    hasMore: page?.hasMore ?? false,
    busy: action.busy,
    error: action.error,
    notice,
    load: () => action.run(async () => (setNotice(''), await first())),
    more: () =>
      action.run(async () => {
        const current = begin();
        const next = await page?.next();
        if (!next || !current()) return;
        setPage(next);
        setItems((prev) => [...prev, ...next.data]);
      }),
    act: (work, done) => change(work, first, done),
    remove: (item, work, done) => change(work, () => setItems((prev) => prev.filter((x) => keyOf(x) !== keyOf(item))), done),
    run: (work) => action.run(work),
  };
}

/** The list's error, its status line, the words for an empty list, the items, and `Load more`. */
export function PagedItems<T>({ list, empty, children }: { list: PagedList<T>; empty: ComponentChildren; children: (item: T) => ComponentChildren }) {
  return (
    <>
      <ErrorText error={list.error} />
      <p role="status">{list.notice}</p>
      {list.items.length === 0 && !list.busy && <p>{empty}</p>}
      <ul class="cards">{list.items.map(children)}</ul>
      {list.hasMore && (
        <button type="button" onClick={() => void list.more()} disabled={list.busy}>
          Load more
        </button>
      )}
    </>
  );
}
