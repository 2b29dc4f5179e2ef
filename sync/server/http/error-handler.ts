import type { FastifyError, FastifyInstance } from 'fastify';
import { describeValidationError } from '../validation/validator.ts';
import { ApiProblem, problems } from './problem.ts';

/** Every failure leaves the server in the `ErrorBody` shape, saying what happened and what to do. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
    if (error instanceof ApiProblem) return reply.status(error.statusCode).send(error.toBody());
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
