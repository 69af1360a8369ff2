import java.util.Arrays;
import java.util.Collection;

/**
 * The one definition of a percentile in the benchmarks: nearest rank, the smallest value with at
 * least p % of the values at or below it (p50 of 1..10 is 5, p99 is 10, p100 the maximum). JDK
 * classes only, so that load generators launched without Lifeline's jar can use it.
 */
final class Percentiles {
    private Percentiles() {}

    /** The p-th percentile of {@code values} (any order); -1 when there are none. */
    static long of(long[] values, double p) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The p-th percentile of durations in nanoseconds, in whole milliseconds; -1 when there are none. */
    static long millis(Collection<Long> nanos, double p) {
        long v = of(nanos.stream().mapToLong(Long::longValue).toArray(), p);
        return v < 0 ? -1 : v / 1_000_000;
    }
}
