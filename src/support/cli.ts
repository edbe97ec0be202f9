import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { systemClock } from '../shared/clock.js';
import { AGENT_RULE, CASE_ID_RULE, isValidAgent, isValidCaseId, type ResetRequest } from '../recorder/api/vendor-reset-file.js';
import { CaseLog } from './case-log.js';
import { generateVendorKey, supportFiles, SupportToolError } from './keys.js';
import { defaultResponseFile, signRequestFile } from './sign.js';

const dirOption = () =>
  new Option('--dir <dir>', 'folder of the vendor key and the case log').env('VIGIL_SUPPORT_DIR').default('./vigil-support');

function caseId(value: string): string {
  if (!isValidCaseId(value)) throw new InvalidArgumentError(CASE_ID_RULE);
  return value;
}

function agentName(value: string): string {
  if (!isValidAgent(value)) throw new InvalidArgumentError(AGENT_RULE);
  return value;
}

/** Runs a command; a problem the agent can fix is printed as is, with exit code 1. */
function reported(action: () => void): void {
  try {
    action();
  } catch (error) {
    if (!(error instanceof SupportToolError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

function showRequest(request: ResetRequest): void {
  console.log('Signing a password reset for:');
  console.log(`  Recorder   ${request.model} ${request.serial}`);
  console.log(`  Account    ${request.username}`);
  console.log(`  Requested  ${request.createdAt}`);
}

/** `vigil support`: the vendor's support desk. */
export function registerSupportCommands(program: Command): void {
  const support = program.command('support').description("the vendor's support desk: signing key, one-time signed reset responses, case log");

  support
    .command('keygen')
    .description('create the vendor key pair; give its public key to every recorder at init (--vendor-key)')
    .addOption(dirOption())
    .action((opts: { dir: string }) =>
      reported(() => {
        const made = generateVendorKey(resolve(opts.dir));
        console.log(`Vendor key created. Public key: ${made.publicKeyFile}`);
        console.log(`  Fingerprint  ${made.fingerprint}`);
        console.log(`Give the public key to recorders at init: vigil recorder init --vendor-key ${made.publicKeyFile}`);
        console.log(`Keep ${supportFiles(resolve(opts.dir)).privateKey} secret and backed up: whoever holds it can reset any of those recorders.`);
      }),
    );

  support
    .command('sign')
    .description("check an owner's reset request and write the one-time response that lets them set a new admin password")
    .argument('<request>', 'the reset request file the owner downloaded from the recorder')
    .requiredOption('--case <id>', 'the support case id (one case signs once)', caseId)
    .requiredOption('--agent <name>', 'who signs (recorded in the case log)', agentName)
    .addOption(dirOption())
    .option('--out <file>', 'where to write the response (default: beside the request, .response.json)')
    .action((requestFile: string, opts: { case: string; agent: string; dir: string; out?: string }) =>
      reported(() => {
        const outFile = resolve(opts.out ?? defaultResponseFile(requestFile));
        const response = signRequestFile({
          dir: resolve(opts.dir),
          requestFile: resolve(requestFile),
          caseId: opts.case,
          agent: opts.agent,
          outFile,
          now: systemClock.now(),
          show: showRequest,
        });
        console.log(`Case ${response.caseId} recorded. Response written to ${outFile}`);
        console.log(`Send it to the owner only. The recorder accepts it once, until ${response.expiresAt}.`);
      }),
    );

  support
    .command('cases')
    .description('list the signed cases')
    .addOption(dirOption())
    .option('--json', 'print a JSON array for scripts')
    .action((opts: { dir: string; json?: boolean }) =>
      reported(() => {
        const file = supportFiles(resolve(opts.dir)).caseLog;
        if (!existsSync(file)) throw new SupportToolError(`There is no case log in ${resolve(opts.dir)}: no request was signed with this --dir yet.`);
        const log = new CaseLog(file);
        const cases = log.list();
        log.close();
        if (opts.json) {
          console.log(JSON.stringify(cases, null, 2));
          return;
        }
        if (cases.length === 0) console.log('No cases yet.');
        for (const c of cases) console.log(`${c.signedAt}  ${c.caseId}  ${c.model} ${c.serial}  account ${c.username}  by ${c.agent}`);
      }),
    );
}
