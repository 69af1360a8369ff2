package dev.lifeline.agent;

import java.time.Duration;

/**
 * A fault the user asked for in the message text, for tests and demos.
 *
 * <p>{@code !status N} answers HTTP N; {@code !hang S} waits S seconds before answering; {@code
 * !exit} answers, then ends the process with status 1; {@code !stream-gaps N S} streams N chunks S
 * seconds apart; {@code !silence} answers, then stops heartbeating while the process lives on. Any other text, including other words starting with {@code !}, is echoed.
 */
sealed interface Fault {

    /** Where fault commands are read from, as named in a {@code BadRequest} field violation. */
    String TEXT_FIELD = "message.parts";

    /** Plain echo. */
    record None() implements Fault {}

    /** Answer with this HTTP status instead of a JSON-RPC response. */
    record Status(int code) implements Fault {}

    /** Wait this long, then answer normally. */
    record Hang(Duration delay) implements Fault {}

    /** Answer normally, then exit. */
    record Exit() implements Fault {}

    /** Answer normally, then stop heartbeating (the process stays up and keeps serving). */
    record Silence() implements Fault {}

    /** Stream {@code chunks} artifact chunks {@code gap} apart (non-streaming calls just echo). */
    record StreamGaps(int chunks, Duration gap) implements Fault {}

    /**
     * Reads the fault command in {@code text}.
     *
     * @throws JsonRpcException (invalid params) when a known command has bad arguments
     */
    static Fault parse(String text) {
        String[] words = text.strip().split("\\s+");
        return switch (words[0]) {
            case "!status" -> new Status(integer(words, 1, 100, 599, "!status CODE (100-599)"));
            case "!hang" -> new Hang(seconds(words, 1, 3_600, "!hang SECONDS (0-3600)"));
            case "!exit" -> new Exit();
            case "!silence" -> new Silence();
            case "!stream-gaps" ->
                new StreamGaps(
                        integer(words, 1, 1, 1_000, "!stream-gaps COUNT SECONDS"),
                        seconds(words, 2, 600, "!stream-gaps COUNT SECONDS"));
            default -> new None();
        };
    }

    private static int integer(String[] words, int index, int min, int max, String usage) {
        try {
            int value = Integer.parseInt(argument(words, index, usage));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw JsonRpcException.invalidParams(TEXT_FIELD, "usage: " + usage);
    }

    private static Duration seconds(String[] words, int index, double max, String usage) {
        try {
            double value = Double.parseDouble(argument(words, index, usage));
            if (value >= 0 && value <= max) {
                return Duration.ofNanos(Math.round(value * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw JsonRpcException.invalidParams(TEXT_FIELD, "usage: " + usage);
    }

    private static String argument(String[] words, int index, String usage) {
        if (index >= words.length) {
            throw JsonRpcException.invalidParams(TEXT_FIELD, "usage: " + usage);
        }
        return words[index];
    }
}
