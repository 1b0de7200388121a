import { cleanEnv, CleanedEnv, EnvMissingError, ValidatorSpec } from 'envalid';

/**
 * Validates environment variables with envalid, but throws ONE Error naming every missing or bad
 * variable instead of envalid's default (print and process.exit), which a library must not do.
 */
export function loadConfig<S extends Record<string, ValidatorSpec<unknown>>>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
): CleanedEnv<S> {
  return cleanEnv(env, spec, {
    reporter: ({ errors }) => {
      const problems = Object.entries(errors).map(([name, error]) => {
        const desc = spec[name]?.desc ? ` (${spec[name].desc})` : '';
        if (error instanceof EnvMissingError) return `  - ${name}: missing${desc}`;
        return `  - ${name}: invalid value ${JSON.stringify(env[name])}: ${(error as Error).message}${desc}`;
      });
      if (problems.length) {
        throw new Error(`Invalid environment configuration:\n${problems.join('\n')}`);
      }
    },
  });
}
