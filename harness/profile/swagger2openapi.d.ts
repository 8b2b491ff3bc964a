/** Minimal types for the parts of swagger2openapi (CommonJS, untyped) the loader uses. */
declare module 'swagger2openapi' {
  export interface ConvertOptions {
    /** Fix up small, common mistakes instead of failing. */
    patch?: boolean;
    /** Record problems as `x-s2o-warning` properties in the output instead of throwing. */
    warnOnly?: boolean;
    /** Resolve external references (the loader has bundled already, so false). */
    resolve?: boolean;
    /** Source text for messages; generated when absent. */
    text?: string;
    [key: string]: unknown;
  }
  export interface ConvertResult {
    openapi: Record<string, unknown>;
    patches?: number;
    [key: string]: unknown;
  }
  const swagger2openapi: {
    convertObj(swagger: object, options: ConvertOptions): Promise<ConvertResult>;
  };
  export default swagger2openapi;
}
