import type { OpenApiDocument } from '../contract/document';

/**
 * A copy of the contract in which every path with a GET also has a HEAD, the same operation:
 * express-openapi-validator then validates HEAD requests as GETs (RFC 9110: the GET's status and
 * headers, no body) and names HEAD in the Allow header of a 405. Dispatch finds the GET's handler,
 * as the operationId is the same.
 */
export function withHeadOperations(doc: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths)) {
    if (item.get && !item.head) item.head = structuredClone(item.get);
  }
  return copy;
}
