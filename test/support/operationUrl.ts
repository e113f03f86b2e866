// The URL of a contract path with every path parameter filled from the contract itself.

/** A value the parameter's schema accepts: its example, or one built from an id pattern. */
function sample(doc: any, param: any): string {
  const p = param.$ref ? doc.components.parameters[param.$ref.split('/').pop()] : param;
  const schema = p.schema.$ref ? doc.components.schemas[p.schema.$ref.split('/').pop()] : p.schema;
  const example = p.example ?? schema.examples?.[0] ?? schema.example;
  if (example !== undefined) return String(example);
  const id = /^\^([a-z]+_)\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/.exec(schema.pattern ?? '');
  if (id) return id[1] + '0'.repeat(26);
  throw new Error(`no sample value for path parameter ${p.name}`);
}

/** The URL of `path` with its path parameters filled; with `method`, also that operation's required query parameters. */
export function operationUrl(doc: any, path: string, method?: string): string {
  const resolve = (q: any) => (q.$ref ? doc.components.parameters[q.$ref.split('/').pop()] : q);
  const params = [...(doc.paths[path].parameters ?? [])];
  const url =
    '/v1' +
    path.replace(/\{([^}]+)\}/g, (_m, name) => {
      const param = [...params, ...Object.values<any>(doc.paths[path]).flatMap((o: any) => o?.parameters ?? [])].find(
        (q: any) => resolve(q).name === name,
      );
      return encodeURIComponent(sample(doc, param));
    });
  const required = method ? (doc.paths[path][method].parameters ?? []).map(resolve).filter((q: any) => q.in === 'query' && q.required) : [];
  return required.length ? `${url}?${new URLSearchParams(required.map((q: any) => [q.name, sample(doc, q)])).toString()}` : url;
}
