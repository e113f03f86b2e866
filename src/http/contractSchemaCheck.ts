// express-openapi-validator checks the contract against the OpenAPI 3.1 schema as it starts, when
// `validateApiSpec` is on. Off, it still compiles that schema with Ajv (the OpenAPISchemaValidator
// constructor) and never uses it: a quarter of the service's start-up. Once per process, before
// the validator is created, the constructor is made to skip the compilation when the check is
// off; with the check on it is the library's own, compiled once per OpenAPI version and reused by
// every validator of the process (tests build one for each changed copy of the contract).
// Measured gain (scripts/bench/patches.ts, quiet machine, 2026-12-05): the request validator is
// ready in 145 ms with it, 366 ms without.
// (src/http/routeRegexpCache.ts is the other such change to the validator's internals; the tests
// exercise both.)
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
  // validate() keeps nothing between calls but the errors it returns at once.
  const checkers = new Map<string, InstanceType<Ctor>>();
  function OpenAPISchemaValidator(opts: Options) {
    if (!opts.validateApiSpec) return unused;
    let checker = checkers.get(opts.version);
    if (!checker) checkers.set(opts.version, (checker = new Original(opts)));
    return checker;
  }
  (schemaValidatorModule as { OpenAPISchemaValidator: unknown }).OpenAPISchemaValidator = OpenAPISchemaValidator;
}
