// The one describer of User-Agents lives in src/shared, where the cloud's server uses it too.
export { describeUserAgent } from '../../src/shared/user-agent.js';
