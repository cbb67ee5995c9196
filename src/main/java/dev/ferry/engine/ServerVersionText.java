package dev.ferry.engine;


/**
 * Rebuilds a {@link ServerVersion} from the text a manifest keeps. The major version is what
 * compatibility compares: PostgreSQL 10+ by its first number; MySQL and MariaDB by the first two
 * ({@code 8.0} is 800, {@code 10.11} is 1011).
 */
public final class ServerVersionText {

    private ServerVersionText() {
    }

    public static ServerVersion parse(String flavour, String fallbackFlavour, String full) {
        String name = flavour == null || flavour.isBlank() ? fallbackFlavour : flavour;
        String[] numbers = full.replaceAll("[^0-9.].*$", "").split("\\.");
        int first = numbers.length > 0 && !numbers[0].isEmpty() ? Integer.parseInt(numbers[0]) : 0;
        int second = numbers.length > 1 && !numbers[1].isEmpty() ? Integer.parseInt(numbers[1]) : 0;
        int major = "postgresql".equals(name) ? (first >= 10 ? first : first * 10 + second) : first * 100 + second;
        return new ServerVersion(name, major, full);
    }
}
