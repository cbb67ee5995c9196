package dev.ferry.cli;

import dev.ferry.FerryException;
import dev.ferry.runtime.Console;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ferry} command line. Exit codes: 0 done, 1 a step failed, 2 bad input. */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Moves databases across platforms through S3-compatible object storage.",
        subcommands = {RunCommand.class, PlanCommand.class, ValidateCommand.class, RunsCommand.class, ResumeCommand.class,
                DemoCommand.class, ImporterCommand.class, StorageCommand.class, ReleaseCommand.class, ScheduleCommand.class,
                VerifyCommand.class, BackupsCommand.class})
public final class FerryCli implements Runnable {

    public static final int DONE = 0;
    public static final int STEP_FAILED = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int exitCode = execute(args);
        ClassListRecording.keepIfSucceeded(exitCode);
        System.exit(exitCode);
    }

    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new FerryCli());
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            Console console = Console.system();
            if (exception instanceof FerryException ferry && ferry.code().exitCode() == DONE) {
                console.line(ferry.getMessage() + ": " + ferry.why() + "\n    next: " + ferry.next());
                return DONE;
            }
            if (exception instanceof FerryException ferry) {
                console.error("error: " + ferry.getMessage());
                return ferry.code().exitCode();
            }
            console.error("error: " + exception);
            return STEP_FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, parsedArgs) -> {
            System.err.println("error: " + exception.getMessage());
            exception.getCommandLine().usage(System.err);
            return BAD_INPUT;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
