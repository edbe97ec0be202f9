/** A TLS certificate a server makes for itself, until its owner gives one signed by a CA (--tls-cert). */
export interface TlsFiles {
  cert: string;
  key: string;
}

/**
 * A self-signed P-256 certificate for `commonName`, valid ten years from a day before `now`, for
 * localhost and the loopback addresses: browsers ask once to trust it, and clients can pin it.
 */
export async function makeSelfSignedCertificate(commonName: string, now: number): Promise<TlsFiles> {
  const { generate } = await import('selfsigned'); // only when one is made: keep it out of a daemon's heap
  const made = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 10 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: made.cert, key: made.private };
}
