// The import boundaries of Vigil (DESIGN.md §5), checked in `npm test` by test/boundaries.test.ts
// over src/, bench/ and web/ (or by hand: npx depcruise src bench web/src web/shared web/cloud).
//
//   src/shared/      small helpers with no domain; imports none of the layers above it
//   src/media/       protocol libraries (rtsp, codec, mp4); may import shared
//   src/identity/    the security core; may import shared, no part, no HTTP server, no database driver
//   src/discovery/   the LAN discovery protocol devices and `vigil discover` share; may import shared and the core
//   src/sqlite/      SQLite tables the parts that keep SQLite lay out alike (the audit log); may import shared and the core
//   src/<part>/      a program (recorder, camera, ...); may import shared, media, the core, discovery, and another
//                    part's published contract only: its api/ folder (API types, file and wire formats)
//   src/cloud/       as any part, but no media: it never handles video
//   src/recorder/context.ts         the daemon's bag of services: imported by src/recorder/daemon.ts and
//                                   src/recorder/http/ only; a service takes narrow dependencies
//   src/cli.ts, bench/, web/src/   put the parts together or drive them: only the circle rule applies
//   web/src/, web/cloud/            the recorder's and the cloud's UIs: each may import web/shared, not the other
//   web/shared/                     what both UIs use: imports neither of them

/** Each folder of src/ that is a program of its own: the parts of DESIGN.md §1. */
const PARTS = ['recorder', 'camera', 'cloud', 'console', 'discover', 'support', 'recover'];
const A_PART = `^src/(${PARTS.join('|')})/`;

/** What the core must run without: it is used by parts on other servers and other databases. */
const SERVER_OR_DRIVER = ['fastify', '@fastify/[^/]+', 'better-sqlite3', 'pg', '@electric-sql/pglite', 'ioredis'];
// The package resolved in a node_modules (wherever a symlinked one really is) or its @types, or the
// bare name when it is not installed.
const A_SERVER_OR_DRIVER = [`(^|/)node_modules/(@types/)?(${SERVER_OR_DRIVER.join('|')})/`, `^(${SERVER_OR_DRIVER.join('|')})$`];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'core-imports-no-part',
      comment: 'src/identity is the security core every part uses: it cannot depend on one of them.',
      severity: 'error',
      from: { path: '^src/identity/' },
      to: { path: A_PART },
    },
    {
      name: 'core-imports-no-server-or-driver',
      comment: 'The core talks to storage through async ports and knows nothing of HTTP: no Fastify, no database driver.',
      severity: 'error',
      from: { path: '^src/identity/' },
      to: { path: A_SERVER_OR_DRIVER },
    },
    {
      name: 'media-imports-no-part',
      comment: 'src/media holds protocol libraries any part can use: no part, no security core.',
      severity: 'error',
      from: { path: '^src/media/' },
      to: { path: [A_PART, '^src/identity/'] },
    },
    {
      name: 'discovery-imports-no-part',
      comment: 'src/discovery is the protocol every device (recorder, camera) and `vigil discover` share: it may use the core and shared only.',
      severity: 'error',
      from: { path: '^src/discovery/' },
      to: { path: [A_PART, '^src/media/', '^src/cli\\.ts$'] },
    },
    {
      name: 'sqlite-imports-no-part',
      comment: 'src/sqlite holds the SQLite tables that the recorder and the camera lay out alike: it may use the core and shared only.',
      severity: 'error',
      from: { path: '^src/sqlite/' },
      to: { path: [A_PART, '^src/media/', '^src/discovery/', '^src/cli\\.ts$'] },
    },
    {
      name: 'cloud-imports-no-media',
      comment: 'The cloud holds accounts and device bindings, never video: the media libraries stay out of its servers.',
      severity: 'error',
      from: { path: '^src/cloud/' },
      to: { path: '^src/media/' },
    },
    {
      name: 'shared-imports-nothing-above',
      comment: 'src/shared is the bottom layer: small helpers with no domain.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: [A_PART, '^src/identity/', '^src/media/', '^src/discovery/', '^src/cli\\.ts$'] },
    },
    {
      name: 'part-imports-no-other-part',
      comment:
        "A part uses another part only through its published contract (src/<part>/api/), never its internals: " +
        'go through the core, src/media or src/shared, or publish the type in the api/ folder.',
      severity: 'error',
      from: { path: A_PART },
      to: { path: A_PART, pathNot: ['^src/$1/', '^src/[^/]+/api/'] },
    },
    {
      name: 'api-contract-imports-no-internals',
      comment: 'A published contract is what other parts import: importing its own part would hand them its internals.',
      severity: 'error',
      from: { path: '^src/([^/]+)/api/' },
      to: { path: '^src/$1/', pathNot: '^src/$1/api/' },
    },
    {
      name: 'recorder-context-only-for-daemon-and-http',
      comment:
        "RecorderContext is the daemon's bag of every service: a service takes the few ports and stores it uses, " +
        'so only the daemon that builds the context and the HTTP layer that hands it down may import it.',
      severity: 'error',
      from: { path: '^(src|bench|web)/', pathNot: ['^src/recorder/daemon\\.ts$', '^src/recorder/http/'] },
      to: { path: '^src/recorder/context\\.ts$' },
    },
    {
      name: 'web-shared-imports-no-ui',
      comment: 'web/shared holds what the recorder\'s and the cloud\'s UIs both use: it cannot depend on one of them.',
      severity: 'error',
      from: { path: '^web/shared/' },
      to: { path: '^web/(src|cloud)/' },
    },
    {
      name: 'web-ui-imports-no-other-ui',
      comment: "A UI uses what another UI has only once it is moved to web/shared: the recorder's and the cloud's UIs build and ship apart.",
      severity: 'error',
      from: { path: '^web/(src|cloud)/' },
      to: { path: '^web/(src|cloud)/', pathNot: '^web/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'No import circle, type-only imports included.',
      severity: 'error',
      from: { path: '^(src|bench|web)/' },
      to: { circular: true },
    },
  ],
  options: {
    // Type-only imports count: a circle of types is still a circle, and a type ties the core to its source.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    moduleSystems: ['es6'],
  },
};
