import 'reflect-metadata';
// eslint-disable-next-line no-restricted-imports -- only to silence Nest's own console logger
import { Logger } from '@nestjs/common';
import { BaseEnv, baseEnvSchema, ConfigError, loadConfig } from '@app/config';
import { RpcClient } from '@app/messaging';
import { createLogger } from '@app/observability';
import { runCli } from './run-cli';

/** Exit status for a configuration error (sysexits EX_CONFIG), as the services use. */
const EXIT_CONFIG = 78;

async function main(): Promise<number> {
  let config: BaseEnv;
  try {
    config = loadConfig(baseEnvSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  // The CLI reports failures itself, in one line; Nest's console logger would add noise.
  Logger.overrideLogger(false);
  return runCli(process.argv.slice(2), config, () => new RpcClient(config, createLogger('cli', 'silent')));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
