/**
 * The request side of an RTSP session: adds Session and Authorization headers, answers a 401 once
 * with the camera's challenge, and turns error statuses into RtspErrors that say what to do.
 */
import { randomBytes } from 'node:crypto';
import { authorization, chooseChallenge, parseChallenges, type Challenge, type Credentials } from './auth.js';
import type { RtspConnection } from './connection.js';
import { RtspError } from './errors.js';
import { parseSessionHeader, type RtspResponse, type SessionHeader } from './message.js';

export class RtspSession {
  readonly #connection: RtspConnection;
  readonly #credentials: Credentials | undefined;
  readonly #where: string;
  #challenge: Challenge | undefined;
  #nonceCount = 0;
  #cnonce = randomBytes(8).toString('hex');
  session: SessionHeader | undefined;

  constructor(connection: RtspConnection, credentials: Credentials | undefined, where: string) {
    this.#connection = connection;
    this.#credentials = credentials;
    this.#where = where;
  }

  /** Sends the request and returns a 2xx answer; anything else becomes an RtspError. */
  async request(method: string, url: string, headers: Array<[string, string]> = []): Promise<RtspResponse> {
    let response = await this.#connection.request(method, url, this.#headers(method, url, headers));
    if (response.status === 401) {
      // One retry with the camera's (new or stale) challenge; a second 401 means wrong credentials.
      const challenge = chooseChallenge(parseChallenges(response.headers.get('www-authenticate') ?? []));
      if (!this.#credentials) throw new RtspError('unauthorized', `The camera at ${this.#where} needs a username and password. Add them to the camera's settings.`);
      if (!challenge) throw new RtspError('unsupported', `The camera at ${this.#where} asks for a login method other than Basic or Digest (MD5), which is not supported.`);
      this.#challenge = challenge;
      this.#nonceCount = 0;
      this.#cnonce = randomBytes(8).toString('hex');
      response = await this.#connection.request(method, url, this.#headers(method, url, headers));
    }
    if (response.status >= 200 && response.status < 300) {
      const session = response.headers.get('session')?.[0];
      if (session !== undefined) this.session = parseSessionHeader(session);
      return response;
    }
    throw this.#statusError(method, response);
  }

  /** TEARDOWN without waiting for the answer; the connection closes right after. */
  teardown(url: string): void {
    if (this.session) this.#connection.send('TEARDOWN', url, this.#headers('TEARDOWN', url, []));
  }

  #headers(method: string, url: string, headers: Array<[string, string]>): Array<[string, string]> {
    const all = [...headers];
    if (this.session) all.push(['Session', this.session.id]);
    if (this.#challenge && this.#credentials) {
      all.push(['Authorization', authorization(this.#challenge, this.#credentials, { method, uri: url, nonceCount: ++this.#nonceCount, cnonce: this.#cnonce })]);
    }
    return all;
  }

  #statusError(method: string, response: RtspResponse): RtspError {
    const status = `${response.status} ${response.reason}`.trim();
    switch (response.status) {
      case 401:
      case 403:
        return new RtspError('unauthorized', `The camera at ${this.#where} refused the username or password (${status}). Check them in the camera's settings.`);
      case 404:
        return new RtspError('not_found', `The camera at ${this.#where} has no stream at that path (${status}). Check the stream path in the camera's settings or manual.`);
      case 461:
        return new RtspError('unsupported', `The camera at ${this.#where} does not offer this transport (${status}). Switch the camera between TCP and UDP transport.`);
      case 405:
      case 501:
      case 551:
        return new RtspError('unsupported', `The camera at ${this.#where} does not support ${method} (${status}).`);
      default:
        return new RtspError('protocol', `The camera at ${this.#where} answered ${method} with ${status}.`);
    }
  }
}
