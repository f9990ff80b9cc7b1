package dev.reprise.cli;

/** The entry point of the fat jar behind ./reprise. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(RepriseCommand.commandLine().execute(args));
    }
}
