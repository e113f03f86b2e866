// express-openapi-validator checks the contract against the OpenAPI 3.1 schema as it starts, when
// `validateApiSpec` is on. Off, it still compiles that schema with Ajv (the OpenAPISchemaValidator
// constructor) and never uses it: a quarter of the service's start-up. Once per process, before
// the validator is created, the constructor is made to skip the compilation when the check is
// off; with the check on it is the library's own. (src/http/routeRegexpCache.ts is the other
// such change to the validator's internals; the tests exercise both.)
import schemaValidatorModule = require('express-openapi-validator/dist/framework/openapi.schema.validator');

type Ctor = typeof schemaValidatorModule.OpenAPISchemaValidator;
type Options = ConstructorParameters<Ctor>[0];

let installed = false;

/** What the validator gets when it will not check the contract: it calls `validate` only when it does. */
const unused = { validate: () => ({ errors: [] }) };

export function skipUnusedContractSchema(): void {
  if (installed) return;
  installed = true;
  const Original: Ctor = schemaValidatorModule.OpenAPISchemaValidator;
  function OpenAPISchemaValidator(opts: Options) {
    return opts.validateApiSpec ? new Original(opts) : unused;
  }
  (schemaValidatorModule as { OpenAPISchemaValidator: unknown }).OpenAPISchemaValidator = OpenAPISchemaValidator;
}
