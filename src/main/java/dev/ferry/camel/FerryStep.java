package dev.ferry.camel;

/** One kind of step a {@code ferry:} endpoint runs, for example {@code ferry:dump}. */
public interface FerryStep {

    void execute(StepExecution execution) throws Exception;
}
