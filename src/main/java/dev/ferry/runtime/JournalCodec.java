package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

/**
 * Turns step outputs into journal values and back. Only Ferry's own value types are restored,
 * so a journal cannot make Ferry instantiate arbitrary classes.
 */
final class JournalCodec {

    private JournalCodec() {
    }

    static JournalEvent.JournaledValue encode(Object value) {
        JsonNode json = Json.MAPPER.valueToTree(value);
        return new JournalEvent.JournaledValue(value.getClass().getName(), json);
    }

    static Object decode(String variable, JournalEvent.JournaledValue journaled) {
        String type = journaled.type();
        try {
            if (type.equals(String.class.getName())) {
                return journaled.value().asText();
            }
            if (!type.startsWith("dev.ferry.")) {
                throw new IllegalArgumentException("type " + type + " is not one of Ferry's");
            }
            return Json.MAPPER.treeToValue(journaled.value(), Class.forName(type));
        } catch (Exception e) {
            throw new FerryException(ErrorCode.INTERNAL, null, "Cannot restore " + variable + " from the journal",
                    e.getMessage(), "Start a new run instead of resuming this one");
        }
    }
}
