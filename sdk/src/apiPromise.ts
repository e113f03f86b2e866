// What every call returns: a promise of its data, as before, that can also give the answer it came
// from (`withResponse()`), as the OpenAI SDK's APIPromise does.

/** The data of a call with the answer it came from. */
export interface WithResponse<T> {
  data: T;
  /** The final attempt's answer (status, headers, url); its body is already read into `data`. */
  response: Response;
  /** The answer's `X-Request-Id`: quote it when you report a problem. */
  requestId: string | undefined;
}

/**
 * `await client.projects.create(...)` gives the data; `.withResponse()` gives `{ data, response,
 * requestId }`. The request is sent at once either way; both read the same answer.
 */
export class ApiPromise<T> extends Promise<T> {
  readonly #answer: Promise<WithResponse<T>>;
  readonly #data: Promise<T> | undefined;

  constructor(answer: Promise<WithResponse<T>>, data?: Promise<T>) {
    // The promise itself settles to nothing anyone sees: then, catch and finally read #answer.
    super((resolve) => resolve(undefined as T));
    this.#answer = answer;
    this.#data = data;
  }

  /** For a call that may send nothing (logging out of no session): `withResponse()` rejects with `reason`. */
  static withoutRequest<T>(value: T, reason: string): ApiPromise<T> {
    const answer = Promise.reject(new Error(reason));
    answer.catch(() => {});
    return new ApiPromise<T>(answer, Promise.resolve(value));
  }

  // Promise's own methods (then, finally, Promise.all's) make their promises with this constructor.
  static override get [Symbol.species]() {
    return Promise;
  }

  withResponse(): Promise<WithResponse<T>> {
    return this.#answer;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return (this.#data ?? this.#answer.then((a) => a.data)).then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}

/** The answer with its data and request id. */
export function withResponse<T>(data: T, response: Response): WithResponse<T> {
  return { data, response, requestId: response.headers.get('x-request-id') ?? undefined };
}
