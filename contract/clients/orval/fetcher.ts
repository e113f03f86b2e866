// orval's fetch client calls this mutator for every request: it is where the base URL (with /v1;
// orval's generated paths have none) and the credential go. One credential only: sending a token
// in both Authorization and x-api-key makes the server check both.
let baseUrl = '';
let token: string | undefined;

export function configure(options: { baseUrl: string; token?: string }): void {
  baseUrl = options.baseUrl;
  token = options.token;
}

export const customFetch = async <T>(url: string, options: RequestInit): Promise<T> => {
  const headers = new Headers(options.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(`${baseUrl}${url}`, { ...options, headers });
  const body = [204, 205, 304].includes(res.status) ? null : await res.text();
  return { data: body ? JSON.parse(body) : {}, status: res.status, headers: res.headers } as T;
};
