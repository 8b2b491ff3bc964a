/**
 * The associated data each sealed value is bound to (see secret-box.ts): a
 * value sealed for one supplier or evaluation does not open as another's.
 */
export const sealPurpose = {
  supplierAuth: (supplierId: string) => `supplier-auth:${supplierId}`,
  signingKey: (evaluationId: string) => `evaluation-signing-key:${evaluationId}`,
};
