package dev.lifeline.agent;

import java.io.PrintStream;
import java.time.InstantSource;

/** One line per event on standard output: time, agent, workspace, event. Never given secrets. */
final class AgentLog {

    private final PrintStream out;
    private final InstantSource clock;
    private final String prefix;

    AgentLog(PrintStream out, InstantSource clock, String workspaceId) {
        this.out = out;
        this.clock = clock;
        this.prefix = " lifeline-agent[" + (workspaceId.isEmpty() ? "-" : workspaceId) + "] ";
    }

    void info(String line) {
        out.println(clock.instant() + prefix + line);
    }
}
