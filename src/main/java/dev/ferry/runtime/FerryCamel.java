package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Boots Camel with camel-main for one run: the pipeline templates, the step routes and the user's
 * migration file, with stream caching off (a dump is a stream and must never be cached whole) and
 * no error handler (a failed step ends the run; retries would replay half-read streams).
 */
public final class FerryCamel implements AutoCloseable {

    /** The endpoint every pipeline template starts from. */
    public static final String ENTRY = "direct:migration";

    private final Main main;

    private FerryCamel(Main main) {
        this.main = main;
    }

    public static FerryCamel start(PipelineCatalog catalog, MigrationFile migration, StepGuard guard) {
        List<Path> files = new ArrayList<>(catalog.pipelineFiles());
        files.addAll(catalog.routeFiles());
        files.add(migration.file());
        Main main = new Main();
        main.configure()
                .withRoutesIncludePattern(files.stream().map(f -> "file:" + f.toAbsolutePath()).collect(Collectors.joining(",")))
                .withStreamCachingEnabled(false)
                .withJmxEnabled(false)
                .withShutdownTimeout(10)
                .withName("ferry");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                context.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerBuilder());
                if (guard != null) {
                    context.getCamelContextExtension().addInterceptStrategy(guard);
                }
            }
        });
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof FerryException refusal) {
                    throw refusal;
                }
            }
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Camel could not load the pipeline and routes",
                    rootMessage(e), "Check the YAML of " + migration.file().getFileName() + ", pipelines/ and routes/");
        }
        return new FerryCamel(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Resolves property placeholders such as {@code {{env:NAME}}} the way Camel does. */
    public String resolve(String text) {
        return context().resolvePropertyPlaceholders(text);
    }

    @Override
    public void close() {
        main.stop();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
