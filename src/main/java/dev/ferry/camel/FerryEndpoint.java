package dev.ferry.camel;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

import java.util.Map;

/** A {@code ferry:} endpoint: one step kind with its options. Producer only. */
public class FerryEndpoint extends DefaultEndpoint {

    private final String kind;
    private final FerryStep step;
    private final Map<String, String> options;

    FerryEndpoint(String uri, FerryComponent component, String kind, FerryStep step, Map<String, String> options) {
        super(uri, component);
        this.kind = kind;
        this.step = step;
        this.options = Map.copyOf(options);
    }

    @Override
    public Producer createProducer() {
        return new FerryProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ferry: endpoints are steps: use them in to:, not from:");
    }

    String kind() {
        return kind;
    }

    FerryStep step() {
        return step;
    }

    Map<String, String> options() {
        return options;
    }
}
