package dev.lifeline.agent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One standalone reference agent on a free port, with a client, for all the tests of a class. */
abstract class AgainstARunningAgent {
    static ReferenceAgent agent;
    static AgentClient client;

    @BeforeAll
    static void startAgent() {
        agent = ReferenceAgent.start(AgentConfig.standalone(0), ProcessExit.NONE, System.out);
        client = new AgentClient(agent.url());
    }

    @AfterAll
    static void stopAgent() {
        client.close();
        agent.close();
    }
}
