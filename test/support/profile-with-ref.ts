/** A one-operation OpenAPI 3.0 profile (YAML) whose response schema is `$ref: ref`. */
export const profileWithRef = (ref: string): string => `openapi: 3.0.3
info: { title: Ref, version: '1' }
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '${ref}' }
`;
