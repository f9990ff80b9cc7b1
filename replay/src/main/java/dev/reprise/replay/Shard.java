package dev.reprise.replay;

/**
 * A disjoint, deterministic share of the sessions (or, in mix and exact mode, of the requests) for
 * scale-out: with the same store, options and seed, every generator computes the same arrival
 * sequence and shard {@code k} of {@code n} keeps arrivals whose index is {@code k-1} modulo
 * {@code n}, so N generators (for example a Kubernetes Indexed Job) together send the whole load
 * exactly once. The target rate of each shard is 1/n of the whole.
 *
 * @param index 1..count
 * @param count number of shards
 */
public record Shard(int index, int count) {
    /** The whole load. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new ReplayException("invalid shard " + index + "/" + count + ": expected k/N with 1 <= k <= N");
        }
    }

    /** Parses {@code k/N}, e.g. {@code 2/4}. */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new ReplayException("invalid shard '" + text + "': expected k/N such as 2/4 (shard 2 of 4)");
    }

    /** True when arrival {@code arrivalIndex} belongs to this shard. */
    public boolean owns(long arrivalIndex) {
        return arrivalIndex % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
