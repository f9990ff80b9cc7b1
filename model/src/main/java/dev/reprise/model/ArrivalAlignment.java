package dev.reprise.model;

/** Correlation and alignment of two arrival curves given as counts per bucket. */
final class ArrivalAlignment {
    private ArrivalAlignment() {
    }

    /**
     * Pearson correlation of {@code a[k]} and {@code b[k + lag]} over {@code k} in [from, to) where
     * both indexes are inside the arrays; NaN when either side is constant there.
     */
    static double pearson(double[] a, double[] b, int from, int to, int lag) {
        int start = Math.max(from, Math.max(0, -lag));
        int end = Math.min(to, Math.min(a.length, b.length - lag));
        int n = end - start;
        if (n < 2) {
            return Double.NaN;
        }
        double meanA = 0;
        double meanB = 0;
        for (int k = start; k < end; k++) {
            meanA += a[k];
            meanB += b[k + lag];
        }
        meanA /= n;
        meanB /= n;
        double cov = 0;
        double varA = 0;
        double varB = 0;
        for (int k = start; k < end; k++) {
            double da = a[k] - meanA;
            double db = b[k + lag] - meanB;
            cov += da * db;
            varA += da * da;
            varB += db * db;
        }
        return varA == 0 || varB == 0 ? Double.NaN : cov / Math.sqrt(varA * varB);
    }

    /**
     * The shift of {@code b} (in buckets, positive = later) that best aligns it with the spike
     * {@code a[first..last]}: the lag in [-L, L], L = max(3, spike length), with the highest
     * correlation over the spike widened by L on both sides; ties go to the smallest shift. A
     * cross-correlation rather than two argmax positions, because a flat-topped spike's highest
     * bucket is decided by noise.
     */
    static int bestLag(double[] a, double[] b, int first, int last) {
        int span = Math.max(3, last - first + 1);
        int from = Math.max(0, first - span);
        int to = Math.min(a.length, last + 1 + span);
        int best = 0;
        double bestCorrelation = Double.NEGATIVE_INFINITY;
        for (int distance = 0; distance <= span; distance++) {
            for (int lag : distance == 0 ? new int[] {0} : new int[] {-distance, distance}) {
                double r = pearson(a, b, from, to, lag);
                if (!Double.isNaN(r) && r > bestCorrelation) {
                    bestCorrelation = r;
                    best = lag;
                }
            }
        }
        return best;
    }
}
