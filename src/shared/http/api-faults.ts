import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Logger } from '../logger.js';
import { ApiError, sendApiError } from './api-error.js';

// Every answer of an API server in its error format, `{ error: { code, message } }`, whatever the
// client sent: malformed JSON, a wrong content type, an oversize body, a bad URL, a route that does
// not exist. Only a fault of the server answers 5xx, and it is logged.

export interface ApiFaultOptions {
  /** The server as its users know it, for the message of an unexpected error: "the recorder". */
  name: string;
  logger: Logger;
  /** The headers every answer carries: the router's own errors skip the onSend hook, so they are set here too. */
  setHeaders(request: FastifyRequest, reply: FastifyReply): void;
}

/** Framework errors that are the client's fault, mapped to our codes and clear messages. */
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send JSON with Content-Type: application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', message: 'Content-Length does not match the body.' },
};

const unexpected = (name: string) => new ApiError(500, 'internal_error', `Something went wrong on ${name}. It has been logged.`);

/**
 * The server options that keep bad input from the handlers or answer it in the API's format. A
 * wrong type is refused, never coerced ("5" is not 5), and no default is filled in.
 */
export function apiServerOptions(options: ApiFaultOptions) {
  return {
    bodyLimit: 64 * 1024,
    trustProxy: false, // the client's address is the socket's: X-Forwarded-For is not believed
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    // The router's own errors reach neither setErrorHandler nor the onSend hook; without this, a
    // malformed %-escape in a URL got Fastify's default body and an over-long path parameter
    // (> 100 characters) a 414, both without the security headers.
    // Requests too malformed for the HTTP parser still get an answer in the API's error format.
    clientErrorHandler: (_error, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({ error: { code: 'invalid_request', message: 'The HTTP request could not be parsed.' } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    },
    frameworkErrors: (error, request, genericReply) => {
      const reply = genericReply as FastifyReply;
      options.setHeaders(request, reply);
      if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
        const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid: check its %-escapes.' : 'A part of the URL is too long.';
        return sendApiError(reply, new ApiError(400, 'invalid_request', message));
      }
      options.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
      return sendApiError(reply, unexpected(options.name));
    },
  } satisfies FastifyServerOptions;
}

/**
 * Answers every error a route throws, and every route that does not exist, in the API's format.
 * `interrupted` may explain an error first that is no fault (the recorder: a factory reset erased
 * what the request worked on; the cloud: its Redis does not answer).
 */
export function answerApiErrors(
  app: FastifyInstance,
  options: ApiFaultOptions & { interrupted?: (request: FastifyRequest, error: FastifyError) => ApiError | undefined },
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendApiError(reply, error);
    if (error.validation) return sendApiError(reply, new ApiError(400, 'invalid_request', `Invalid request: ${error.message}.`));
    const interruption = options.interrupted?.(request, error);
    if (interruption) return sendApiError(reply, interruption);
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      const { code, message } = known ?? { code: 'invalid_request', message: 'The request could not be read.' };
      return sendApiError(reply, new ApiError(error.statusCode ?? 400, code, message));
    }
    options.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error');
    return sendApiError(reply, unexpected(options.name));
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, new ApiError(404, 'not_found', `Nothing at ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
