// The binding to a cloud account, as the recorder's admin sees and ends it.
import { request } from '../api.js';
import type { CloudBindingView } from '../../../src/recorder/api/cloud-binding.js';

export type { CloudBindingView };

export const getCloudBinding = () => request<CloudBindingView>('GET', '/device/cloud');

export const unbindCloud = (currentPassword: string) => request<null>('POST', '/device/cloud/unbind', { body: { currentPassword } });
