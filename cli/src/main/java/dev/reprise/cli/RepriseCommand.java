package dev.reprise.cli;

import dev.reprise.ingest.IngestException;
import dev.reprise.model.Store;
import dev.reprise.model.StoreException;
import dev.reprise.replay.ReplayException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code reprise} command: global options and the list of commands. */
@Command(name = "reprise",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = RepriseCommand.Version.class,
        description = {"Turns production access logs into faithful load.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Store: --db FILE, else $REPRISE_DB, else ./reprise.duckdb.",
                "Exit codes: 0 ok, 1 failure, 2 usage error, 99 thresholds or limits broken.",
                "Start with: reprise demo"},
        subcommands = {
                DemoCommand.class,
                IngestCommand.class,
                ModelCommand.class,
                ReplayCommand.class,
                SqlCommand.class,
                SamplesCommand.class,
                ReportCommand.class,
                FidelityCommand.class,
                CommandLine.HelpCommand.class})
public final class RepriseCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The store file (default: $REPRISE_DB, else ./reprise.duckdb).")
    Path db;

    /** The command line with Reprise's converters, exit codes and error handling. */
    public static CommandLine commandLine() {
        return commandLine(new RepriseCommand());
    }

    static CommandLine commandLine(RepriseCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.registerConverter(java.time.Duration.class, new DurationConverter());
        cl.setExecutionExceptionHandler(RepriseCommand::handleExecutionException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** The store file chosen by --db, REPRISE_DB or the default. */
    Path storeFile() {
        if (db != null) {
            return db;
        }
        String env = System.getenv("REPRISE_DB");
        return env != null && !env.isBlank() ? Path.of(env) : Store.DEFAULT_FILE;
    }

    Store openStore() {
        return Store.open(storeFile());
    }

    /**
     * User errors print one clear message and exit 1; anything else is a bug and says so with a stack
     * trace (STYLE.md "Errors").
     */
    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof StoreException || e instanceof IngestException || e instanceof ReplayException
                || e instanceof UserException) {
            err.println("reprise: " + e.getMessage());
        } else if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            err.println("reprise: " + e.getMessage());
        } else {
            err.println("reprise: this is a bug in Reprise, please report it with the trace below.");
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }

    /** The jar's version from its manifest, or "development build". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RepriseCommand.class.getPackage().getImplementationVersion();
            return new String[] {"reprise " + (v == null ? "development build" : v),
                    "store schema version " + Store.latestSchemaVersion(),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
