import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { appMessageClasses } from './dispatch';
import { errorBody, errors, type AppError } from '../errors';
import type { Logger } from '../logger';
import { requestIdFor } from './requestId';

/** How long a refused connection may stay open after its answer, for the client to read it. */
const LINGER_MS = 2000;

/** The path and query of an absolute-form target; undefined when it is not an http(s) URL. */
function originForm(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return undefined;
  const { pathname, search } = new URL(url);
  return pathname + search;
}

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
 * (408), an `Expect` other than `100-continue` (417), an HTTP/1.1 request without Host (400) and
 * a CONNECT (connection closed). These handlers give them the error envelope, an X-Request-Id and
 * the headers every response carries (`fixedHeaders`), as they do a request target Node accepts
 * but that is neither a path nor an http(s) URL (400).
 */
export function createServer(
  app: Express,
  fixedHeaders: [string, string][] = [],
  logger?: Logger,
  options: ServerOptions = {},
): Server {
  const refused = (requestId: string, err: AppError, level: 'info' | 'debug') =>
    logger?.[level]('request refused by the server', { request_id: requestId, status: err.status, code: err.code });
  const refuse = (req: IncomingMessage, res: ServerResponse, err: AppError) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const { body, headers } = envelope(err, requestId, fixedHeaders);
    res.writeHead(err.status, headers.flat());
    res.end(body);
    refused(requestId, err, 'info');
  };

  /** Answers on a socket Node has taken from the HTTP machinery, then closes it. */
  const refuseOnSocket = (socket: Socket, err: AppError, requestId: string) => {
    const { body, headers } = envelope(err, requestId, fixedHeaders);
    const head = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.end(`HTTP/1.1 ${err.status} ${STATUS_CODES[err.status]}\r\n${head}\r\n${body}`);
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
    refused(requestId, err, 'debug');
  };

  // Node's own Host check answers a bare 400; this one gives the envelope (RFC 9112 3.2: HTTP/1.0
  // may omit Host, HTTP/1.1 may not).
  const server = createHttpServer({ ...appMessageClasses(app), ...options, requireHostHeader: false }, (req, res) => {
    if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
      return refuse(req, res, errors.malformedRequest('an HTTP/1.1 request must have a Host header'));
    }
    // RFC 9112 3.2.2: a server must accept the absolute-form (`GET http://host/v1/me`); the app
    // routes by path, so it gets the origin-form. The authority is not used (PUBLIC_URL is).
    const url = req.url ?? '';
    if (url.charCodeAt(0) !== 47 && url !== '*') {
      const origin = originForm(url);
      if (origin === undefined) return refuse(req, res, errors.malformedRequest('the request target is not a path or an absolute http(s) URL'));
      req.url = origin;
    }
    app(req, res);
  });

  server.on('checkExpectation', (req, res: ServerResponse) => refuse(req, res, errors.expectationFailed()));

  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    // As Node's own handler: nothing to answer on a dead socket, or after a response has begun
    // (`_httpMessage` is the response in flight on this connection).
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    refuseOnSocket(socket, refusalOf(error), requestIdFor(undefined));
  });

  // Without a listener Node closes a CONNECT's connection unanswered. Its authority-form target
  // (`example.com:443`) is not a path: this service is not a proxy.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    if (!socket.writable) return socket.destroy();
    const err = errors.malformedRequest('CONNECT is not served here; the request target must be a path');
    refuseOnSocket(socket, err, requestIdFor(req.headers['x-request-id']));
  });
  return server;
}
