package dev.lifeline.proxy;

import dev.lifeline.core.Verdict;
import dev.lifeline.core.Workspace;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a sent call's end is judged, whichever transport carried it: a whole answer of 502, 503 or
 * 504 is put to the supervisor and replaced only when the agent is proven dead; a 429, or a 503
 * from an agent proven alive, is a busy refusal that may wait in the durable queue; a transport
 * failure or a cut-off is answered from the supervisor's verdict. Asking the supervisor blocks.
 */
final class Settlement {
    private static final Logger log = LoggerFactory.getLogger(Settlement.class);

    /**
     * A dispatch's reply, whether the request never left Lifeline for an agent proven dead, and
     * whether a live agent refused it as busy (429, or 503 while the backend says it is alive).
     */
    record Attempt(ProxyReply reply, boolean neverSent, boolean refusedBusy) {}

    private final ReactiveCheck reactive;
    private final BusyParking parking;

    Settlement(ReactiveCheck reactive, BusyParking parking) {
        this.reactive = reactive;
        this.parking = parking;
    }

    /** Whether an answer of {@code status} needs {@link #whole} to judge it, rather than being relayed as it is. */
    static boolean judged(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** A whole answer from the agent, with the headers that pass back. */
    Attempt whole(Workspace workspace, int status, String contentType, byte[] body, Map<String, String> passed) {
        Optional<Verdict> verdict = upstreamVerdict(workspace, status);
        Optional<ProxyReply.Refused> dead = verdict.flatMap(Outcomes::upstreamError);
        boolean refusedBusy =
                dead.isEmpty() && (status == 429 || (status == 503 && verdict.orElseThrow() == Verdict.ALIVE));
        ProxyReply reply =
                dead.<ProxyReply>map(d -> d).orElseGet(() -> new ProxyReply.Relayed(status, contentType, body, passed));
        return new Attempt(reply, false, refusedBusy);
    }

    /** The structured answer of a restart instead of an upstream 502, 503 or 504, when the agent is proven dead. */
    Optional<ProxyReply.Refused> deadInstead(Workspace workspace, int status) {
        return upstreamVerdict(workspace, status).flatMap(Outcomes::upstreamError);
    }

    /**
     * No complete answer: refused, reset, timed out or cut off.
     *
     * @param begun whether a byte of the request may have been written
     */
    Attempt failure(Workspace workspace, IOException cause, boolean begun) {
        log.info("{} transport failure: {}", workspace.id(), cause.toString());
        Verdict verdict = reactive.suspect(workspace, cause);
        return new Attempt(
                Outcomes.transportFailure(verdict, cause), verdict == Verdict.DEAD_RESTARTING && !begun, false);
    }

    /**
     * An event stream the agent broke off while it was relayed: whether it was found dead and its
     * restart began. A check that fails says no: the stream still ends with its last event.
     */
    boolean streamBroke(Workspace workspace, IOException cause) {
        log.info("{} stream broke: {}", workspace.id(), cause.toString());
        try {
            return reactive.suspect(workspace, cause) == Verdict.DEAD_RESTARTING;
        } catch (RuntimeException e) {
            log.warn("{}: could not judge the agent that broke a stream off", workspace.id(), e);
            return false;
        }
    }

    /** The attempt's reply, or, for a busy refusal of a call that may wait, the call put in the queue. */
    ProxyReply parkedIfBusy(
            Attempt attempt,
            Workspace workspace,
            CallOptions options,
            Payloads.Request request,
            Map<String, String> headers,
            boolean mayPark) {
        if (!attempt.refusedBusy() || !mayPark) {
            return attempt.reply();
        }
        return parking.park(workspace, options, request, headers)
                .<ProxyReply>map(parked -> parked)
                .orElse(attempt.reply());
    }

    /** The supervisor's verdict on an agent that answered 502, 503 or 504; empty for any other status. */
    private Optional<Verdict> upstreamVerdict(Workspace workspace, int status) {
        if (status != 502 && status != 503 && status != 504) {
            return Optional.empty();
        }
        return Optional.of(reactive.suspectUpstream(workspace));
    }

    /** The failure a cut-off call ends with. */
    static IOException cutoff(CallLimits.Cutoff cutoff) {
        return new HttpTimeoutException(
                cutoff == CallLimits.Cutoff.IDLE
                        ? "no sign of life from the workspace for the idle window"
                        : "the call's deadline passed");
    }

    /** The metrics label of a reply. */
    static String outcome(ProxyReply reply) {
        return switch (reply) {
            case ProxyReply.Relayed r -> "relayed_" + r.status() / 100 + "xx";
            case ProxyReply.Streamed s -> "streamed";
            case ProxyReply.Refused r when Boolean.TRUE.equals(r.body().get("restarting")) -> "restarting";
            case ProxyReply.Refused r when Boolean.TRUE.equals(r.body().get("busy")) -> "busy";
            case ProxyReply.Refused r when Boolean.TRUE.equals(r.body().get("queued")) -> "queued";
            case ProxyReply.Refused r -> "refused_" + r.status();
        };
    }
}
