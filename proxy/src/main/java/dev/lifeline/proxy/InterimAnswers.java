package dev.lifeline.proxy;

import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Lets the upstream client skip every interim (1xx) answer and wait for the final one. The client's
 * own handlers know only 100, 102 and 103; any other interim status would leave the exchange
 * believing it had its answer, so the final answer would be dropped and the call would never end.
 */
final class InterimAnswers extends ProcessingProtocolHandler {
    @Override
    public String getName() {
        return "interim";
    }

    @Override
    public boolean accept(Request request, Response response) {
        return HttpStatus.isInterim(response.getStatus());
    }
}
