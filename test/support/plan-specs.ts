import type { OperationSpec, ParameterSpec } from '../../harness/profile/profile-types.js';

/** A required parameter spec; override any field. */
export const param = (p: Partial<ParameterSpec> & Pick<ParameterSpec, 'name' | 'in'>): ParameterSpec => ({ required: true, pointer: '', ...p });

/** A GET /things operation answering 200 JSON; override any field. */
export const operation = (over: Partial<OperationSpec>): OperationSpec => ({
  operationId: 'op',
  syntheticId: false,
  method: 'GET',
  path: '/things',
  parameters: [],
  responses: [{ key: '200', content: [{ mediaRange: 'application/json' }], headers: [], pointer: '' }],
  secured: false,
  pointer: '',
  ...over,
});
