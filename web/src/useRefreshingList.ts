import { refreshingListHook } from '../shared/useRefreshingList.js';
import { describeError } from './errors.js';

export const useRefreshingList = refreshingListHook(describeError);
