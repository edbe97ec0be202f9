import type { Command } from 'commander';

export interface UnknownCommand {
  /** The command that was given a subcommand it does not have. */
  parent: Command;
  name: string;
}

/**
 * The first word of `args` that names no subcommand where one is expected. Commander answers an
 * unknown command followed by `--help` (`vigil cloud --help`) with the parent's help and exit code
 * 0, because it handles help before unknown commands: a script could not tell a missing command
 * from a present one. Looking before commander parses closes that for every level.
 */
export function findUnknownCommand(program: Command, args: readonly string[]): UnknownCommand | undefined {
  let command = program;
  for (const arg of args) {
    // Options end the walk: what follows them is theirs or the command's arguments.
    if (arg.startsWith('-') || command.commands.length === 0) return undefined;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) return arg === 'help' ? undefined : { parent: command, name: arg };
    command = sub;
  }
  return undefined;
}

/** "vigil recorder": the words that run `command`. */
function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/** Refuses an unknown command (exit code 1), naming the commands that exist there. */
export function refuseUnknownCommand(program: Command, args: readonly string[]): void {
  const unknown = findUnknownCommand(program, args);
  if (!unknown) return;
  const names = unknown.parent.commands.map((c) => c.name()).join(', ');
  unknown.parent.error(`error: unknown command '${unknown.name}'. The commands of ${commandPath(unknown.parent)} are: ${names}.`, {
    code: 'commander.unknownCommand',
    exitCode: 1,
  });
}
