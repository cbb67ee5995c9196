package dev.ferry.camel;

import dev.ferry.spec.StepSpec;
import org.apache.camel.util.URISupport;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code ferry:} component: {@code ferry:<step kind>[?option=value...]}. */
@Component("ferry")
public class FerryComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        FerryStep step = StepKinds.create(remaining);
        if (step == null) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Unknown Ferry step 'ferry:" + remaining + "'", null,
                    "Use one of " + StepKinds.names().stream().map(k -> "ferry:" + k).toList());
        }
        Map<String, String> options = new LinkedHashMap<>();
        parameters.forEach((k, v) -> options.put(k, v == null ? null : String.valueOf(v)));
        StepSpec spec = StepKinds.spec(remaining);
        List<String> problems = spec.optionProblems(options);
        if (!problems.isEmpty()) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, String.join("; ", problems), "the endpoint is " + URISupport.sanitizeUri(uri),
                    "Fix the endpoint's options");
        }
        parameters.clear();
        return new FerryEndpoint(uri, this, remaining, step, options);
    }
}
