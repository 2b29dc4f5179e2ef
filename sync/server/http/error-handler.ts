import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeValidationError } from '../validation/validator.ts';
import { ApiProblem, problems } from './problem.ts';
import { installProblemDetails } from './problem-details.ts';

/** Every failure leaves the server in the `ErrorBody` shape, saying what happened and what to do. */
export function installErrorHandling(app: FastifyInstance): void {
  installProblemDetails(app);
  app.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
    if (error instanceof ApiProblem) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.statusCode).send(error.toBody());
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation && fastifyError.validation.length > 0) {
      const first = fastifyError.validation[0]!;
      const { field, message } = describeValidationError(first, fastifyError.validationContext ?? 'body');
      return reply.status(400).send(new ApiProblem(400, 'validation_failed', message, field).toBody());
    }
    if (fastifyError.statusCode === 429) {
      return reply.status(429).send(new ApiProblem(429, 'rate_limited', `Too many requests (${fastifyError.message || 'rate limit exceeded'}). Wait and try again.`).toBody());
    }
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(new ApiProblem(413, 'payload_too_large', 'The request body is too large. Send the documents in smaller batches (up to 2,000 per push).').toBody());
    }
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send(new ApiProblem(fastifyError.statusCode, 'validation_failed', `Invalid request: ${fastifyError.message}. Fix it and send it again.`).toBody());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(new ApiProblem(500, 'internal', 'The server failed to handle this request. It was logged; try again, and tell support if it keeps failing.').toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const collection = /^\/api\/(?:sync|v1)\/([^/?]+)/.exec(request.url)?.[1];
    const problem = collection && collection !== 'stream' && collection !== 'errors' ? problems.unknownCollection(decodeURIComponent(collection)) : problems.notFound(`${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send(problem.toBody());
  });
}

/**
 * Refusals Fastify makes before any route runs — a URL that does not decode (`%zz`, an unpaired
 * surrogate as UTF-8), a path segment longer than the router keeps — answered in the same problem
 * shape as every other error (the `frameworkErrors` option of Fastify).
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  const message = tooLong
    ? 'Invalid request: a path segment is longer than the server accepts. Check the id and send it again.'
    : status === 400
      ? 'Invalid request: the URL is not valid (a %-escape that does not decode to text). Encode the path as UTF-8 and send it again.'
      : 'The server failed to handle this request. It was logged; try again, and tell support if it keeps failing.';
  void reply.status(status).send(new ApiProblem(status, status === 500 ? 'internal' : 'validation_failed', message).toBody());
}

/**
 * Requests Node's HTTP parser refuses (not HTTP, headers too large, too slow): answered on the raw
 * socket, in the problem shape, then the connection is closed (the `clientErrorHandler` option).
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request headers are larger than the server accepts. Send a shorter token or fewer headers.'
      : status === 408
        ? 'The request was not sent in time. Send it again.'
        : 'The request is not valid HTTP. Check the client that sent it.';
  const { detailPt: _pt, ...problem } = new ApiProblem(status, 'validation_failed', message).toBody();
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}
