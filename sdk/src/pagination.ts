// Lists: cursor pages followed through `meta.next_cursor`, as items or as pages.
import type { WithResponse } from './apiPromise.js';
import type { PageMeta } from './types.js';

type Answer<T> = WithResponse<{ data: T[]; meta: PageMeta }>;

/** One page of a list, as the server sent it, and the way to the next one. */
export class Page<T> {
  readonly data: T[];
  readonly meta: PageMeta;
  /** The answer this page came in (status, headers; its body is read into `data` and `meta`). */
  readonly response: Response;
  /** The answer's `X-Request-Id`. */
  readonly requestId: string | undefined;

  constructor(
    answer: Answer<T>,
    private readonly fetchPage: (cursor: string) => Promise<Page<T>>,
  ) {
    this.data = answer.data.data;
    this.meta = answer.data.meta;
    this.response = answer.response;
    this.requestId = answer.requestId;
  }

  get hasMore(): boolean {
    return this.meta.has_more && this.meta.next_cursor !== null;
  }

  /** The next page with the same filters, or null after the last one. */
  next(): Promise<Page<T> | null> {
    return this.hasMore ? this.fetchPage(this.meta.next_cursor!) : Promise.resolve(null);
  }
}

/**
 * A list: `for await (const item of list)` walks every item of every page; `list.pages()` walks
 * the pages; `list.page()` fetches only the one page the query asks for (its `cursor`, if any).
 * Nothing is fetched until one of them is used, and every use starts again from the query.
 */
export class Paginator<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<Answer<T>>) {}

  /** The page the query names: the first one, or the one its `cursor` points to. */
  page(): Promise<Page<T>> {
    return this.load(undefined);
  }

  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    for (let page: Page<T> | null = await this.page(); page; page = await page.next()) yield page;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item, read into an array (mind the size of the list). */
  async toArray(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) items.push(item);
    return items;
  }

  private async load(cursor: string | undefined): Promise<Page<T>> {
    return new Page(await this.fetchPage(cursor), (next) => this.load(next));
  }
}
