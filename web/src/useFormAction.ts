import { formActionHook } from '../shared/useFormAction.js';
import { describeError } from './errors.js';

export const useFormAction = formActionHook(describeError);
