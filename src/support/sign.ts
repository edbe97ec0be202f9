import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sha256Hex } from '../shared/secrets.js';
import {
  parseResetRequest,
  resetRequestSignatureValid,
  responseForRequest,
  signResetResponse,
  supportResponseExpiry,
  type ResetRequest,
  type ResetResponse,
} from '../recorder/api/vendor-reset-file.js';
import { CaseLog } from './case-log.js';
import { loadVendorPrivateKey, supportFiles, SupportToolError } from './keys.js';

/**
 * Pure: the request in a file, if support may sign it: well-formed, unaltered since the device
 * signed it, and young enough that the recorder would still accept the response.
 */
export function checkResetRequest(text: string, now: number): ResetRequest {
  const parsed = parseResetRequest(text);
  if (!parsed.ok) throw new SupportToolError(`This is not a usable reset request: ${parsed.problem}. Ask the owner to download a new one from the recorder.`);
  const request = parsed.value;
  if (!resetRequestSignatureValid(request)) {
    throw new SupportToolError(
      "The reset request's signature does not match its content: it was altered or damaged on its way. Do not sign it; ask the owner for a new one.",
    );
  }
  if (now > supportResponseExpiry(Date.parse(request.createdAt))) {
    throw new SupportToolError(
      `The reset request was made at ${request.createdAt}, more than 48 hours ago: the recorder would refuse its response. Ask the owner for a new one.`,
    );
  }
  return request;
}

/** Where the response goes unless --out says: beside the request. */
export function defaultResponseFile(requestFile: string): string {
  return `${requestFile.replace(/\.json$/i, '')}.response.json`;
}

export interface SignInput {
  dir: string;
  requestFile: string;
  caseId: string;
  agent: string;
  outFile: string;
  now: number;
  /** Shown before signing: what the agent is about to vouch for. */
  show: (request: ResetRequest) => void;
}

/** Checks a request, records the case and writes the signed response; throws SupportToolError for what the agent can fix. */
export function signRequestFile(input: SignInput): ResetResponse {
  const vendorKey = loadVendorPrivateKey(input.dir);
  let text: string;
  try {
    text = readFileSync(input.requestFile, 'utf8');
  } catch {
    throw new SupportToolError(`Cannot read ${input.requestFile}: check the path of the request file the owner sent.`);
  }
  const request = checkResetRequest(text, input.now);
  if (existsSync(input.outFile)) throw new SupportToolError(`${input.outFile} exists already; it was not replaced. Give another --out.`);
  input.show(request);

  const response = signResetResponse(responseForRequest(request, { caseId: input.caseId, agent: input.agent, issuedAt: input.now }), vendorKey);
  const log = new CaseLog(supportFiles(input.dir).caseLog);
  try {
    log.record(
      {
        caseId: input.caseId,
        agent: input.agent,
        serial: request.serial,
        model: request.model,
        username: request.username,
        nonceHash: sha256Hex(request.nonce),
        requestHash: response.requestHash,
        signedAt: response.issuedAt,
        expiresAt: response.expiresAt,
      },
      // The response is a one-time key to the recorder until it expires: readable by its owner only.
      () => writeFileSync(input.outFile, `${JSON.stringify(response, null, 2)}\n`, { mode: 0o600, flag: 'wx' }),
    );
  } finally {
    log.close();
  }
  return response;
}
