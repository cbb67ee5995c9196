package dev.ferry.camel;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Runs the endpoint's step on an exchange. */
class FerryProducer extends DefaultProducer {

    private final FerryEndpoint endpoint;

    FerryProducer(FerryEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        endpoint.step().execute(new StepExecution(exchange, endpoint.kind(), endpoint.options()));
    }
}
