import { InvalidArgumentError } from 'commander';
import { parseListenAddress, type ListenAddress } from './listen-address.js';

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
