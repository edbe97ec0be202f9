import { InvalidArgumentError } from 'commander';
import { isLoopbackHost, parseListenAddress, type ListenAddress } from './listen-address.js';

/** Parsers for command-line values: a bad value is reported by commander with the expected form. */

export function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

export function listenAddress(value: string): ListenAddress {
  try {
    return parseListenAddress(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** A part's address as people reach it (links in security mails use it, never a request's Host header). */
export function externalUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as https://nvr.example.net');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
    throw new InvalidArgumentError('expected an http(s) URL without login, query or fragment, such as https://nvr.example.net');
  }
  return url.href.replace(/\/$/, '');
}

/**
 * The cloud a recorder connects to: https, or plain http on loopback only (the binding's secret and
 * relayed passwords travel over this connection).
 */
export function cloudUrl(value: string): string {
  const url = externalUrl(value);
  const { protocol, hostname } = new URL(url);
  if (protocol === 'http:' && !isLoopbackHost(hostname.replace(/^\[|\]$/g, ''))) {
    throw new InvalidArgumentError('expected an https URL such as https://cloud.example.net (plain http only on loopback)');
  }
  return url;
}
