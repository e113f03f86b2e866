import { createServer as createHttpServer, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { errorBody, errors, type AppError } from '../errors';
import type { Logger } from '../logger';
import { requestIdFor } from './requestId';

/** How long a refused connection may stay open after its answer, for the client to read it. */
const LINGER_MS = 2000;

/** The answer to a connection Node's parser refused, by its error code. */
function refusalOf(err: Error & { code?: string; reason?: string }): AppError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return errors.headersTooLarge();
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return errors.chunkExtensionsTooLarge();
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return errors.requestTimeout();
    default:
      return errors.malformedRequest(err.reason ?? 'it could not be parsed');
  }
}

function envelope(err: AppError, requestId: string, fixed: [string, string][]) {
  const body = JSON.stringify(errorBody(err, requestId));
  const headers: [string, string][] = [
    ...fixed,
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(body))],
    ['X-Request-Id', requestId],
    ['Connection', 'close'],
  ];
  return { body, headers };
}

/**
 * The HTTP server of the app. Node answers some requests itself, before the app sees them: a
 * request it cannot parse (400), one whose headers exceed 16 kB (431), one not received in time
 * (408), and an `Expect` other than `100-continue` (417). These handlers give them the error
 * envelope, an X-Request-Id and the headers every response carries (`fixedHeaders`).
 */
export function createServer(app: Express, fixedHeaders: [string, string][] = [], logger?: Logger): Server {
  const server = createHttpServer(app);
  const refused = (requestId: string, err: AppError, level: 'info' | 'debug') =>
    logger?.[level]('request refused by the server', { request_id: requestId, status: err.status, code: err.code });

  server.on('checkExpectation', (req, res: ServerResponse) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const err = errors.expectationFailed();
    const { body, headers } = envelope(err, requestId, fixedHeaders);
    res.writeHead(err.status, headers.flat());
    res.end(body);
    refused(requestId, err, 'info');
  });

  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    // As Node's own handler: nothing to answer on a dead socket, or after a response has begun
    // (`_httpMessage` is the response in flight on this connection).
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const requestId = requestIdFor(undefined);
    const err = refusalOf(error);
    const { body, headers } = envelope(err, requestId, fixedHeaders);
    const head = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.end(`HTTP/1.1 ${err.status} ${STATUS_CODES[err.status]}\r\n${head}\r\n${body}`);
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
    refused(requestId, err, 'debug');
  });
  return server;
}
