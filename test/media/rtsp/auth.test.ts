import { describe, expect, it } from 'vitest';
import { authorization, chooseChallenge, parseChallenges } from '../../../src/media/rtsp/auth.js';

describe('parseChallenges and chooseChallenge', () => {
  it('reads Basic and Digest challenges from separate headers and prefers Digest', () => {
    const challenges = parseChallenges(['Basic realm="IP Camera(C1234)"', 'Digest realm="IP Camera(C1234)", nonce="a1b2c3", stale="FALSE"']);
    expect(challenges).toEqual([
      { scheme: 'basic', realm: 'IP Camera(C1234)' },
      { scheme: 'digest', realm: 'IP Camera(C1234)', nonce: 'a1b2c3', qop: [] },
    ]);
    expect(chooseChallenge(challenges)?.scheme).toBe('digest');
  });

  it('splits two challenges in one header and reads qop lists, opaque and algorithm', () => {
    const [digest, basic] = parseChallenges(['Digest realm="cam", qop="auth,auth-int", nonce="n1", opaque="o\\"1", algorithm=MD5, Basic realm="cam"']);
    expect(digest).toEqual({ scheme: 'digest', realm: 'cam', nonce: 'n1', qop: ['auth', 'auth-int'], opaque: 'o"1', algorithm: 'MD5' });
    expect(basic).toEqual({ scheme: 'basic', realm: 'cam' });
  });

  it('falls back to Basic when Digest wants an algorithm other than MD5', () => {
    const challenges = parseChallenges(['Digest realm="cam", nonce="n", algorithm=SHA-256', 'Basic realm="cam"']);
    expect(chooseChallenge(challenges)?.scheme).toBe('basic');
    expect(chooseChallenge(parseChallenges(['Bearer realm="x"']))).toBeUndefined();
  });
});

describe('authorization', () => {
  it('answers Basic with base64 of user:password', () => {
    expect(authorization({ scheme: 'basic', realm: 'r' }, { username: 'Aladdin', password: 'open sesame' }, { method: 'DESCRIBE', uri: 'rtsp://x/', nonceCount: 1, cnonce: '' })).toBe(
      'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    );
  });

  it('computes the RFC 2617 §3.5 example (qop=auth)', () => {
    const [challenge] = parseChallenges(['Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"']);
    const header = authorization(challenge!, { username: 'Mufasa', password: 'Circle Of Life' }, { method: 'GET', uri: '/dir/index.html', nonceCount: 1, cnonce: '0a4f113b' });
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('computes the RFC 7616 §3.9.1 MD5 example', () => {
    const [challenge] = parseChallenges(['Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"']);
    const header = authorization(challenge!, { username: 'Mufasa', password: 'Circle of Life' }, { method: 'GET', uri: '/dir/index.html', nonceCount: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' });
    expect(header).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    expect(header).toContain('algorithm=MD5');
  });

  it('answers Digest without qop as RFC 2069 did: MD5(HA1:nonce:HA2), no nc or cnonce', () => {
    // HA1 = MD5("Mufasa:testrealm@host.com:Circle Of Life"), HA2 = MD5("GET:/dir/index.html"), as in RFC 2617.
    const [challenge] = parseChallenges(['Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"']);
    const header = authorization(challenge!, { username: 'Mufasa', password: 'Circle Of Life' }, { method: 'GET', uri: '/dir/index.html', nonceCount: 1, cnonce: 'x' });
    expect(header).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="670fd8c2df070c60b045671b8b24ff02"',
    );
  });
});
