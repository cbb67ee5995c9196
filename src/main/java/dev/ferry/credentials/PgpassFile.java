package dev.ferry.credentials;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Looks a password up in PostgreSQL's password file format: {@code host:port:database:user:password},
 * {@code *} matching anything, {@code \:} and {@code \\} escaped, the first matching line wins.
 * Host, port and database come from the side's settings; the user too, when set.
 */
final class PgpassFile {

    private PgpassFile() {
    }

    static CollectedCredentials find(String text, Settings settings, String side, String origin, String step) {
        String host = settings.get(side + ".host", "*");
        String port = settings.get(side + ".port", "5432");
        String database = settings.get(side + ".database", "*");
        String user = settings.find(side + ".user").orElse(null);
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> fields = split(line);
            if (fields.size() != 5) {
                continue;
            }
            if (matches(fields.get(0), host) && matches(fields.get(1), port) && matches(fields.get(2), database)
                    && (user == null || matches(fields.get(3), user)) && !fields.get(3).equals("*")) {
                return CollectedCredentials.of(fields.get(3), Secret.of(fields.get(4), origin + " line " + number));
            }
        }
        throw new FerryException(ErrorCode.CREDENTIALS, step, origin + " has no line for " + host + ":" + port + ":" + database
                + ":" + (user == null ? "<any user>" : user), null, "Add a line host:port:database:user:password");
    }

    private static boolean matches(String field, String value) {
        return field.equals("*") || field.equals(value);
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().stripTrailing());
        return fields;
    }
}
