import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lifeline's timed loop rounds ({@code lifeline_loop_round_seconds{loop=...}}) read from one /metrics scrape. */
record LoopTimes(Map<String, double[]> byLoop) {
    private static final Pattern LINE =
            Pattern.compile("lifeline_loop_round_seconds_(count|sum|max)\\{loop=\"([^\"]+)\",?\\} (\\S+)");

    static LoopTimes parse(String scrape) {
        Map<String, double[]> byLoop = new HashMap<>();
        Matcher m = LINE.matcher(scrape);
        while (m.find()) {
            double[] v = byLoop.computeIfAbsent(m.group(2), k -> new double[3]);
            int i = switch (m.group(1)) {
                case "count" -> 0;
                case "sum" -> 1;
                default -> 2;
            };
            v[i] = Double.parseDouble(m.group(3));
        }
        return new LoopTimes(byLoop);
    }

    /**
     * "mean x ms, max y ms in its last two minutes (n rounds)" for the rounds of {@code loop} since
     * {@code before}: the mean from the count and sum of both scrapes, the max as the timer keeps it,
     * over a window that slides and forgets what is more than two minutes old, so a longer run's
     * earlier rounds are not in it.
     */
    String since(LoopTimes before, String loop) {
        double[] now = byLoop.getOrDefault(loop, new double[3]);
        double[] then = before.byLoop.getOrDefault(loop, new double[3]);
        double rounds = now[0] - then[0];
        if (rounds <= 0) {
            return "no rounds";
        }
        return String.format("mean %.1f ms, max %.1f ms in its last two minutes (%d rounds)",
                1000 * (now[1] - then[1]) / rounds, 1000 * now[2], (long) rounds);
    }
}
