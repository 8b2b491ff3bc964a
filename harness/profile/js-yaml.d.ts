/** Minimal types for the parts of js-yaml 4 (CommonJS, untyped here) that plain-yaml.ts uses. */
declare module 'js-yaml' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    resolve?: (data: unknown) => boolean;
    construct?: (data: unknown) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export interface Schema {
    extend(definition: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  /** The parser state handed to a listener; only the fields plain-yaml.ts reads. */
  export interface LoaderState {
    anchor: string | null;
    result: unknown;
    /** Offset in the text: where a node starts at its `open` event, just past it at its `close`. */
    position: number;
    /** At a node's `close`: what it was; null for an alias. */
    kind: 'scalar' | 'sequence' | 'mapping' | null;
  }
  export interface LoadOptions {
    schema?: Schema;
    filename?: string;
    json?: boolean;
    listener?: (event: 'open' | 'close', state: LoaderState) => void;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export function load(text: string, options?: LoadOptions): unknown;
}
