package dev.ferry.camel;

import dev.ferry.spec.Setting;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Suggestion;
import org.apache.camel.util.URISupport;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.util.LinkedHashMap;
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
        for (Map.Entry<String, String> option : options.entrySet()) {
            Setting declared = spec.option(option.getKey());
            if (declared == null) {
                java.util.List<String> known = spec.options().stream().map(Setting::key).toList();
                throw new FerryException(ErrorCode.BAD_INPUT, null, "ferry:" + remaining + " has no option '" + option.getKey() + "'"
                        + Suggestion.didYouMean(option.getKey(), known), "the endpoint is " + URISupport.sanitizeUri(uri),
                        known.isEmpty() ? "Drop the option: this step takes none" : "Use one of " + known);
            }
        }
        for (Setting declared : spec.options()) {
            if (declared.required() && (options.get(declared.key()) == null || options.get(declared.key()).isBlank())) {
                throw new FerryException(ErrorCode.BAD_INPUT, null, "ferry:" + remaining + " needs the option '" + declared.key() + "'",
                        "the endpoint is " + URISupport.sanitizeUri(uri) + "; " + declared.key() + ": " + declared.description(),
                        "Add " + declared.key() + "=... to the endpoint");
            }
        }
        parameters.clear();
        return new FerryEndpoint(uri, this, remaining, step, options);
    }
}
