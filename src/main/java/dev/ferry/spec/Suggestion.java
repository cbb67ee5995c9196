package dev.ferry.spec;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean ...": the known name nearest to a mistyped one, when it is near enough to be the one meant. */
public final class Suggestion {

    private Suggestion() {
    }

    public static Optional<String> nearest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestExact = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(typed.toLowerCase(), candidate.toLowerCase());
            int exact = distance(typed, candidate);
            if (distance < bestDistance || distance == bestDistance && exact < bestExact) {
                best = candidate;
                bestDistance = distance;
                bestExact = exact;
            }
        }
        int allowed = Math.max(2, typed.length() / 4);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** " (did you mean x?)" or nothing. */
    public static String didYouMean(String typed, Collection<String> known) {
        return nearest(typed, known).map(n -> " (did you mean " + n + "?)").orElse("");
    }

    /** Levenshtein distance, with one row of memory. */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}
